// Importer le référentiel: a dry run of a small file in full-sync mode warns about
// mass removals, an upsert of the same file adds the new student, and a broken file
// lists its problems by line.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEMO, PRODUCTS, activeProduct, api, apiToken, checkAccessibility, launchBrowser,
  licenceOverview, openPage, screenshot, signIn, startServer,
} from '../harness.mjs';

const NEW_LOGIN = '0020002s-e2e-nouveau';

let server;
let browser;
let token;
let session;
let dir;
let sixieme;
let productId;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  token = await apiToken(server);
  const classes = (await api(server, token, `/schools/${DEMO.uai}/classes`)).body.classes;
  sixieme = classes.find((c) => c.level === '6e');
  productId = activeProduct(await licenceOverview(server, token), PRODUCTS.anglais).product.id;
  dir = mkdtempSync(join(tmpdir(), 'affecto-import-'));
  session = await openPage(browser, server);
  await signIn(session.page);
  await session.page.getByRole('link', { name: 'Importer le référentiel' }).click();
  await session.page.getByRole('heading', { name: 'Importer le référentiel' }).waitFor();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function csvFile(name, lines) {
  const path = join(dir, name);
  writeFileSync(path, ['role;login;last_name;first_name;class;level;subjects', ...lines, ''].join('\n'));
  return path;
}

/** The students of the 6e class the file names, straight from the API. */
async function studentsOfClass() {
  const path = `/schools/${DEMO.uai}/classes/${sixieme.id}/students?product_id=${productId}`;
  const { status, body } = await api(server, token, path);
  assert.equal(status, 200);
  return body.students;
}

test('a small file in full-sync mode: the check warns that most people would go', async () => {
  const page = session.page;
  await page.getByText('role;login;last_name;first_name;class;level;subjects').waitFor();
  await checkAccessibility(page, 'Importer le référentiel');
  const file = csvFile('petit.csv', [`student;${NEW_LOGIN};Nouvelle;Inès;${sixieme.name};6e;`]);
  await page.getByLabel('Fichier du référentiel (CSV ou OneRoster zip)').setInputFiles(file);
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await page.getByRole('heading', { name: "Vérification : rien n'a encore été importé" }).waitFor();
  await page.getByText('Ajoutées : 1', { exact: true }).waitFor();
  await page.getByText(/^Plus d'un quart des personnes seraient retirées/).waitFor();
  const importButton = page.getByRole('button', { name: 'Importer', exact: true });
  assert.equal(await importButton.isDisabled(), true, 'Importer waits for the confirmation');
  const confirm = page.getByLabel(/Je confirme le retrait/);
  await confirm.check();
  assert.equal(await importButton.isDisabled(), false);
  await screenshot(page, 'import-verification');
  await checkAccessibility(page, 'Importer le référentiel, vérification');
  assert.equal((await studentsOfClass()).some((s) => s.login === NEW_LOGIN), false, 'a dry run changes nothing');
});

test('the same file as an upsert adds the new student and removes no one', async () => {
  const page = session.page;
  const before = await studentsOfClass();
  await page.getByLabel(/Ajout et mise à jour seulement/).check();
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await page.getByText('Retirées : 0', { exact: true }).waitFor();
  assert.equal(await page.getByText(/^Plus d'un quart/).count(), 0);
  await page.getByRole('button', { name: 'Importer', exact: true }).click();
  await page.getByRole('heading', { name: 'Import terminé' }).waitFor();
  await page.getByText('Ajoutées : 1', { exact: true }).waitFor();
  await screenshot(page, 'import-termine');
  const after = await studentsOfClass();
  const added = after.find((s) => s.login === NEW_LOGIN);
  assert.ok(added, 'the new student is in the class');
  assert.deepEqual([added.first_name, added.last_name], ['Inès', 'Nouvelle']);
  assert.equal(after.length, before.length + 1);
  assert.deepEqual(session.problems, []);
});

test('a broken file lists its problems with their lines, and nothing is imported', async () => {
  const page = session.page;
  const file = csvFile('casse.csv', [
    `student;${NEW_LOGIN}-2;Durand;;${sixieme.name};6e;`,
    `parent;${NEW_LOGIN}-3;Petit;Léa;;;`,
  ]);
  await page.getByLabel('Fichier du référentiel (CSV ou OneRoster zip)').setInputFiles(file);
  await page.getByRole('button', { name: 'Vérifier' }).click();
  const alert = page.getByRole('alert').filter({ hasText: "Le fichier comporte des erreurs ; rien n'a été importé" });
  await alert.waitFor();
  await alert.getByText(/^Ligne 2 : /).waitFor();
  await alert.getByText(/^Ligne 3 : /).waitFor();
  await screenshot(page, 'import-erreurs');
  await checkAccessibility(page, 'Importer le référentiel, fichier refusé');
  assert.deepEqual(session.problems, []);
});
