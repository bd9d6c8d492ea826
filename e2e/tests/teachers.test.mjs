// Affecter vos licences enseignant: subject teachers by default, all on demand, and
// the same counter and buttons as for students.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO, PRODUCTS, activeProduct, api, apiToken, checkAccessibility, launchBrowser,
  licenceOverview, openPage, screenshot, seatsFor, signIn, startServer, waitForCounter,
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

async function openTeacherScreen(page, title) {
  await signIn(page);
  await page.getByRole('link', { name: 'Gérer les licences' }).click();
  const table = page.locator('#licences-actives');
  await table.getByRole('button', { name: `Afficher le détail de ${title}`, exact: true }).click();
  await table.getByRole('link', { name: `Affecter les licences enseignant de ${title}` }).click();
  await page.getByRole('heading', { name: 'Affecter vos licences enseignant' }).waitFor();
}

async function teachers(productId, all) {
  const path = `/schools/${DEMO.uai}/teachers?product_id=${productId}&all=${all}`;
  const { status, body } = await api(server, token, path);
  assert.equal(status, 200);
  return body;
}

const counter = (page) => page.locator('.counter .seats');
const teacherNames = (page) => page.locator('table.people tbody tr').evaluateAll((rows) =>
  rows.map((row) => [...row.children].slice(0, 3).map((cell) => cell.textContent.trim())));

test('the subject teachers show first, and the toggle shows every teacher and back', async () => {
  const product = activeProduct(await licenceOverview(server, token), PRODUCTS.francais);
  const subject = await teachers(product.product.id, false);
  const everyone = await teachers(product.product.id, true);
  assert.equal(subject.teachers.length, 4, 'the demo school has 4 teachers of Français');
  assert.ok(everyone.teachers.length > subject.teachers.length);

  const { page, context, problems } = await openPage(browser, server);
  await openTeacherScreen(page, PRODUCTS.francais);
  await page.getByRole('heading', { name: 'Enseignants de la matière' }).waitFor();
  const expected = (list) => list.teachers.map((t) => [t.first_name, t.last_name, t.subjects.join(', ')]);
  assert.deepEqual(await teacherNames(page), expected(subject));
  await waitForCounter(page, seatsFor(product, 'teacher'));
  await screenshot(page, 'affecter-enseignants');
  await checkAccessibility(page, 'Affecter vos licences enseignant');

  await page.getByRole('button', { name: 'Voir tous les enseignants' }).click();
  await page.getByRole('heading', { name: 'Tous les enseignants' }).waitFor();
  assert.deepEqual(await teacherNames(page), expected(everyone));
  await screenshot(page, 'affecter-enseignants-tous');

  await page.getByRole('button', { name: 'Voir les enseignants de la matière' }).click();
  await page.getByRole('heading', { name: 'Enseignants de la matière' }).waitFor();
  assert.deepEqual(await teacherNames(page), expected(subject));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a teacher of another subject can be given a licence from the full list', async () => {
  const product = activeProduct(await licenceOverview(server, token), PRODUCTS.anglais);
  const seats = seatsFor(product, 'teacher');
  assert.ok(seats > 0);
  const everyone = await teachers(product.product.id, true);
  const outsider = everyone.teachers.find((t) => !t.subjects.includes('Anglais') && !t.assigned);

  const { page, context, problems } = await openPage(browser, server);
  await openTeacherScreen(page, PRODUCTS.anglais);
  await page.getByRole('button', { name: 'Voir tous les enseignants' }).click();
  await page.getByRole('heading', { name: 'Tous les enseignants' }).waitFor();
  const fullName = `${outsider.first_name} ${outsider.last_name}`;
  await page.getByRole('checkbox', { name: `Licence affectée à ${fullName}`, exact: true }).check();
  await waitForCounter(page, seats - 1);
  await page.getByRole('button', { name: 'Valider' }).click();
  await page.getByRole('status').filter({ hasText: /^1 licence affectée, 0 retirées — / }).waitFor();

  const saved = await teachers(product.product.id, true);
  assert.equal(saved.teachers.find((t) => t.id === outsider.id).assigned, true);
  assert.equal(await page.getByRole('checkbox', { name: `Licence affectée à ${fullName}`, exact: true }).isChecked(), true);
  assert.deepEqual(problems, []);
  await context.close();
});
