// Affecter vos licences élève: assign three students, "Tout sélectionner" within the
// seats left, ANNULER.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO, PRODUCTS, activeProduct, api, apiToken, checkAccessibility, launchBrowser,
  licenceOverview, openPage, productRow, screenshot, seatsFor, signIn, startServer,
  waitForCounter,
} from '../harness.mjs';

let server;
let browser;
let token;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  token = await apiToken(server);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens the student screen of `title` the way an administrator would. */
async function openStudentScreen(page, title) {
  await signIn(page);
  await page.getByRole('link', { name: 'Gérer les licences' }).click();
  const table = page.locator('#licences-actives');
  await table.getByRole('button', { name: `Afficher le détail de ${title}`, exact: true }).click();
  await table.getByRole('link', { name: `Affecter les licences élève de ${title}` }).click();
  await page.getByRole('heading', { name: 'Affecter vos licences élève' }).waitFor();
}

async function showClass(page, name) {
  await page.getByLabel('Sélectionner la classe à afficher').selectOption({ label: name });
  await page.getByRole('heading', { name: new RegExp(`^Classe ${name} `) }).waitFor();
}

const counter = (page) => page.locator('.counter .seats');
const studentBoxes = (page) => page.getByRole('checkbox', { name: /^Licence affectée à / });

async function classesOfLevel(level) {
  const { body } = await api(server, token, `/schools/${DEMO.uai}/classes`);
  return body.classes.filter((c) => c.level === level);
}

async function studentsOf(classId, productId) {
  const path = `/schools/${DEMO.uai}/classes/${classId}/students?product_id=${productId}`;
  const { status, body } = await api(server, token, path);
  assert.equal(status, 200);
  return body.students;
}

test('assigning three students of 6e A is saved at once and shows everywhere', async () => {
  const before = activeProduct(await licenceOverview(server, token), PRODUCTS.anglais);
  const seats = seatsFor(before, 'student');
  const { page, context, problems } = await openPage(browser, server);
  await openStudentScreen(page, PRODUCTS.anglais);

  const picker = page.getByLabel('Sélectionner la classe à afficher');
  const offered = await picker.locator('option').allInnerTexts();
  assert.ok(offered.every((name) => !/^[543]e /.test(name)), `only 6e classes: ${offered}`);
  await showClass(page, '6e A');
  await waitForCounter(page, seats);
  const sixthA = (await classesOfLevel('6e')).find((c) => c.name === '6e A');
  assert.equal(await studentBoxes(page).count(), sixthA.student_count);

  for (let i = 0; i < 3; i++) await studentBoxes(page).nth(i).check();
  assert.equal(await counter(page).innerText(), `${seats - 3} licences disponibles`);
  await page.getByText('Validez ou annulez vos modifications avant de changer de liste.').waitFor();
  assert.equal(await picker.isDisabled(), true, 'no class change while ticks are unsaved');
  await screenshot(page, 'affecter-eleves');
  await checkAccessibility(page, 'Affecter vos licences élève');

  await page.getByRole('button', { name: 'Valider' }).click();
  await page.getByRole('status')
    .filter({ hasText: `3 licences affectées, 0 retirées — ${seats - 3} licences disponibles` })
    .waitFor();
  await waitForCounter(page, seats - 3);
  await page.locator('.actions .button.primary:disabled', { hasText: 'Valider' }).waitFor();
  await page.waitForFunction(() => !document.getElementById('class-picker').disabled);

  const saved = await studentsOf(sixthA.id, before.product.id);
  assert.deepEqual(saved.slice(0, 3).map((s) => s.assigned), [true, true, true]);
  assert.equal(saved.filter((s) => s.assigned).length, 3);

  await page.reload();
  await page.getByRole('heading', { name: /^Classe 6e A / }).waitFor();
  const ticked = await studentBoxes(page).evaluateAll((boxes) => boxes.map((b) => b.checked));
  assert.deepEqual(ticked.slice(0, 4), [true, true, true, false]);

  await page.getByRole('link', { name: 'Retour à la gestion des licences' }).click();
  const row = await productRow(page.locator('#licences-actives'), PRODUCTS.anglais);
  assert.deepEqual([row.purchased, row.available, row.assigned],
    [before.purchased, before.available - 3, before.assigned + 3]);
  assert.deepEqual(problems, []);
  await context.close();
});

test('"Tout sélectionner" ticks no more students than there are seats left', async () => {
  const product = activeProduct(await licenceOverview(server, token), PRODUCTS.sciences);
  const seats = seatsFor(product, 'student');
  let chosen;
  for (const candidate of await classesOfLevel('6e')) {
    const students = await studentsOf(candidate.id, product.product.id);
    const free = students.filter((s) => !s.assigned).length;
    if (free > seats) {
      chosen = { ...candidate, held: students.length - free };
      break;
    }
  }
  assert.ok(chosen, `a 6e class has more students without ${PRODUCTS.sciences} than the ${seats} seats left`);

  const { page, context, problems } = await openPage(browser, server);
  await openStudentScreen(page, PRODUCTS.sciences);
  await showClass(page, chosen.name);
  await waitForCounter(page, seats);

  await page.getByRole('button', { name: 'Tout sélectionner / désélectionner' }).click();
  const checked = await studentBoxes(page).evaluateAll((b) => b.filter((x) => x.checked).length);
  assert.equal(checked, chosen.held + seats);
  assert.equal(await counter(page).innerText(), '0 licences disponibles');
  await page.getByText('Plus aucune licence disponible').waitFor();
  await page.getByText(/Pas assez de licences pour tout le monde/).waitFor();
  const blocked = await studentBoxes(page).evaluateAll((b) => b.filter((x) => !x.checked && x.disabled).length);
  assert.equal(blocked, chosen.student_count - checked);
  await screenshot(page, 'affecter-eleves-tout-selectionner');
  await checkAccessibility(page, 'Affecter vos licences élève, plus de licence');

  await page.getByRole('button', { name: 'Annuler' }).click();
  assert.equal(await counter(page).innerText(), `${seats} licences disponibles`);
  const afterCancel = await studentBoxes(page).evaluateAll((b) => b.filter((x) => x.checked).length);
  assert.equal(afterCancel, chosen.held);
  const still = seatsFor(activeProduct(await licenceOverview(server, token), PRODUCTS.sciences), 'student');
  assert.equal(still, seats, 'nothing was saved');
  assert.deepEqual(problems, []);
  await context.close();
});

test('ANNULER puts back a licence that was unticked, and untouched boxes stay as saved', async () => {
  const product = activeProduct(await licenceOverview(server, token), PRODUCTS.sciences);
  const seats = seatsFor(product, 'student');
  const { page, context } = await openPage(browser, server);
  await openStudentScreen(page, PRODUCTS.sciences);
  await showClass(page, '6e A');
  const holder = page.locator('input[type=checkbox][aria-label^="Licence affectée à "]:checked').first();
  const name = await holder.getAttribute('aria-label');
  await holder.uncheck();
  assert.equal(await counter(page).innerText(), `${seats + 1} licences disponibles`);
  await page.getByRole('button', { name: 'Annuler' }).click();
  assert.equal(await page.getByRole('checkbox', { name, exact: true }).isChecked(), true);
  assert.equal(await counter(page).innerText(), `${seats} licences disponibles`);
  assert.equal(await page.getByRole('button', { name: 'Valider' }).isDisabled(), true);
  await context.close();
});
