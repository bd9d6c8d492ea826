// Connexion: refusal, success, a session that survives a reload, and sign-out.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO, checkAccessibility, launchBrowser, openPage, screenshot, signIn, startServer,
} from '../harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the server sends its security headers with the web app', async () => {
  const response = await fetch(`${server.url}/etablissements/${DEMO.uai}/licences`);
  assert.equal(response.status, 200, 'a deep link is answered with the app');
  assert.match(await response.text(), /<html lang="fr">/);
  const policy = response.headers.get('content-security-policy') ?? '';
  assert.match(policy, /default-src 'self'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.match(policy, /frame-ancestors 'none'/);
});

test('a wrong password is refused in French, then the right one opens the school account', async () => {
  const { page, context, problems } = await openPage(browser, server);
  await page.goto('/');
  await page.waitForURL('**/connexion');
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');

  await page.getByLabel('Adresse e-mail').fill(DEMO.email);
  await page.getByLabel('Mot de passe').fill('not-the-password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('alert').filter({ hasText: 'Identifiant ou mot de passe incorrect' }).waitFor();
  await screenshot(page, 'connexion');
  await checkAccessibility(page, 'Connexion');

  await page.getByLabel('Mot de passe').fill(DEMO.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Compte établissement' }).waitFor();
  await page.getByText(DEMO.uai).waitFor();
  const manage = page.getByRole('link', { name: 'Gérer les licences' });
  assert.equal(await manage.getAttribute('href'), `/etablissements/${DEMO.uai}/licences`);
  await screenshot(page, 'compte-etablissement');
  await checkAccessibility(page, 'Compte établissement');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a reload keeps the session, and signing out ends it', async () => {
  const { page, context, problems } = await openPage(browser, server);
  await signIn(page);
  await page.getByRole('link', { name: 'Gérer les licences' }).click();
  await page.getByRole('heading', { name: 'Gestion des licences' }).waitFor();

  await page.reload();
  await page.getByRole('heading', { name: 'Gestion des licences' }).waitFor();
  assert.match(page.url(), /\/etablissements\/0020002S\/licences$/);

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await page.waitForURL('**/connexion');
  await page.goto(`/etablissements/${DEMO.uai}/licences`);
  await page.waitForURL('**/connexion');
  assert.equal(await page.evaluate(() => localStorage.getItem('affecto.token')), null);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a token the server no longer accepts sends back to the sign-in screen', async () => {
  const { page, context, problems } = await openPage(browser, server);
  await signIn(page);
  await page.evaluate(() => localStorage.setItem('affecto.token', 'forged-token'));
  await page.goto(`/etablissements/${DEMO.uai}/licences`);
  await page.waitForURL('**/connexion');
  await page.getByRole('button', { name: 'Se connecter' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('after too many failed attempts the form says to wait, in French', async () => {
  const { page, context, problems } = await openPage(browser, server);
  await page.goto('/connexion');
  await page.getByLabel('Adresse e-mail').fill('inconnu@college-demo.fr');
  const wait = page.getByRole('alert').filter({ hasText: 'Trop de tentatives, réessayez dans quelques minutes' });
  for (let attempt = 1; attempt <= 10 && !(await wait.isVisible()); attempt++) {
    await page.getByLabel('Mot de passe').fill(`wrong-${attempt}`);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
  }
  await wait.waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
