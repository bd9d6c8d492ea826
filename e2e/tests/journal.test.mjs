// Journal: the audit record shows an assignment made through the API, the product
// filter narrows it, and "Exporter en CSV" downloads the server's French CSV.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  DEMO, PRODUCTS, activeProduct, api, apiToken, checkAccessibility, launchBrowser,
  licenceOverview, openPage, screenshot, signIn, startServer,
} from '../harness.mjs';

let server;
let browser;
let session;
let student;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const token = await apiToken(server);
  const anglais = activeProduct(await licenceOverview(server, token), PRODUCTS.anglais);
  const classes = (await api(server, token, `/schools/${DEMO.uai}/classes`)).body.classes;
  const sixieme = classes.find((c) => c.level === '6e');
  const path = `/schools/${DEMO.uai}/classes/${sixieme.id}/students?product_id=${anglais.product.id}`;
  student = (await api(server, token, path)).body.students.find((s) => !s.assigned);
  assert.ok(student, 'a 6e student without the English textbook');
  const change = await api(server, token, `/schools/${DEMO.uai}/products/${anglais.product.id}/assignments`, {
    method: 'POST', body: { audience: 'student', assign: [student.id], unassign: [] },
  });
  assert.equal(change.status, 200, JSON.stringify(change.body));

  session = await openPage(browser, server);
  await signIn(session.page);
  await session.page.getByRole('link', { name: 'Journal' }).click();
  await session.page.getByRole('heading', { name: 'Journal des affectations' }).waitFor();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const table = () => session.page.getByRole('table', { name: 'Journal des affectations' });

/** The journal's lines as [date, action, product, user, by, channel]. */
async function lines() {
  await table().waitFor();
  return table().locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) => [...row.children].map((cell) => cell.textContent.trim())));
}

test('the assignment made through the API is the newest line', async () => {
  const [first] = await lines();
  const [date, action, product, user, by, channel] = first;
  assert.match(date, /^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
  assert.equal(action, 'Affectation');
  assert.equal(product, PRODUCTS.anglais);
  assert.equal(user, `${student.first_name} ${student.last_name} (${student.login})`);
  assert.equal(by, 'Administrateur');
  assert.ok(channel.length > 0);
  assert.equal(new URL(session.page.url()).pathname, `/etablissements/${DEMO.uai}/journal`);
  await screenshot(session.page, 'journal');
  await checkAccessibility(session.page, 'Journal');
  assert.deepEqual(session.problems, []);
});

test('the product filter narrows the list to that product', async () => {
  const page = session.page;
  const filter = page.getByLabel('Produit');
  await filter.selectOption({ label: PRODUCTS.anglais });
  await page.waitForFunction((title) => {
    const cells = [...document.querySelectorAll('table.journal tbody tr td:nth-child(3)')];
    return cells.length > 0 && cells.every((cell) => cell.textContent.trim() === title);
  }, PRODUCTS.anglais);
  const shown = await lines();
  assert.ok(shown.some(([, action, , user]) =>
    action === 'Affectation' && user.includes(student.login)));

  await filter.selectOption({ label: PRODUCTS.sciences });
  await page.waitForFunction((title) => {
    const cells = [...document.querySelectorAll('table.journal tbody tr td:nth-child(3)')];
    const empty = document.querySelector('p.empty');
    return Boolean(empty) || (cells.length > 0 && cells.every((cell) => cell.textContent.trim() === title));
  }, PRODUCTS.sciences);
  const text = await page.locator('main').innerText();
  assert.ok(!text.includes(student.login), 'the English assignment is filtered out');
  await screenshot(page, 'journal-filtre');

  await filter.selectOption({ label: 'Tous les produits' });
  await page.getByRole('cell', { name: new RegExp(student.login) }).first().waitFor();
});

test('"Exporter en CSV" downloads the record with its French header', async () => {
  const page = session.page;
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Exporter en CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `journal-${DEMO.uai}.csv`);
  const content = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
  assert.ok(content.startsWith('Date;Action;Produit'), content.slice(0, 80));
  assert.ok(content.includes(PRODUCTS.anglais));
  assert.ok(content.includes(student.login));
  assert.deepEqual(session.problems, []);
});

test('"Charger plus" appends the older events after the first 50', async () => {
  const token = await apiToken(server);
  const anglais = activeProduct(await licenceOverview(server, token), PRODUCTS.anglais);
  const classes = (await api(server, token, `/schools/${DEMO.uai}/classes`)).body.classes;
  const free = [];
  for (const c of classes.filter((c) => c.level === '6e')) {
    const path = `/schools/${DEMO.uai}/classes/${c.id}/students?product_id=${anglais.product.id}`;
    free.push(...(await api(server, token, path)).body.students.filter((s) => !s.assigned));
  }
  const batch = free.slice(0, 55).map((s) => s.id);
  assert.equal(batch.length, 55, 'the demo school has 55 more 6e students to assign');
  const change = await api(server, token, `/schools/${DEMO.uai}/products/${anglais.product.id}/assignments`, {
    method: 'POST', body: { audience: 'student', assign: batch, unassign: [] },
  });
  assert.equal(change.status, 200, JSON.stringify(change.body));

  const page = session.page;
  await page.reload();
  await page.getByText('50 changements affichés', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Charger plus' }).click();
  await page.getByText('56 changements affichés', { exact: true }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Charger plus' }).count(), 0);
  const shown = await lines();
  assert.equal(shown.length, 56);
  assert.ok(shown.at(-1)[3].includes(student.login), 'the oldest event comes last');
  assert.deepEqual(session.problems, []);
});
