// Two administrators at once: seats taken by someone else between the ticks and
// VALIDER are refused whole, with a message that says so.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO, PRODUCTS, activeProduct, api, apiToken, launchBrowser, licenceOverview, openPage,
  screenshot, seatsFor, signIn, startServer, waitForCounter,
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

/** Every 6e student's id, with whether they hold the product. */
async function sixthGraders(productId) {
  const { body } = await api(server, token, `/schools/${DEMO.uai}/classes?level=6e`);
  const students = [];
  for (const cls of body.classes) {
    const path = `/schools/${DEMO.uai}/classes/${cls.id}/students?product_id=${productId}`;
    students.push(...(await api(server, token, path)).body.students);
  }
  return students;
}

test('seats taken meanwhile by another administrator: nothing is saved, and the screen says why', async () => {
  const product = activeProduct(await licenceOverview(server, token), PRODUCTS.anglais);
  const productId = product.product.id;
  const seats = seatsFor(product, 'student');
  const { page, context, problems } = await openPage(browser, server);
  await signIn(page);
  await page.goto(`/etablissements/${DEMO.uai}/produits/${productId}/eleves`);
  await page.getByLabel('Sélectionner la classe à afficher').selectOption({ label: '6e B' });
  await page.getByRole('heading', { name: /^Classe 6e B / }).waitFor();
  const boxes = page.getByRole('checkbox', { name: /^Licence affectée à / });
  const ticked = [];
  for (let i = 0; i < 3; i++) {
    await boxes.nth(i).check();
    ticked.push(await boxes.nth(i).getAttribute('aria-label'));
  }

  // The other administrator leaves two seats: fewer than the three ticked here.
  const tickedNames = new Set(ticked.map((label) => label.replace('Licence affectée à ', '')));
  const others = (await sixthGraders(productId))
    .filter((s) => !s.assigned && !tickedNames.has(`${s.first_name} ${s.last_name}`));
  const taken = others.slice(0, seats - 2).map((s) => s.id);
  assert.equal(taken.length, seats - 2, 'enough 6e students to take the seats');
  const elsewhere = await api(server, token, `/schools/${DEMO.uai}/products/${productId}/assignments`, {
    method: 'POST', body: { audience: 'student', assign: taken, unassign: [] },
  });
  assert.equal(elsewhere.status, 200);

  await page.getByRole('button', { name: 'Valider' }).click();
  await page.getByRole('alert').filter({
    hasText: "Il ne reste que 2 licences disponibles : un autre administrateur vient d'en affecter. Rien n'a été enregistré.",
  }).waitFor();
  await waitForCounter(page, 2);
  const after = await boxes.evaluateAll((list) => list.slice(0, 3).map((b) => b.checked));
  assert.deepEqual(after, [false, false, false], 'the list shows the saved state again');
  await screenshot(page, 'affecter-eleves-conflit');

  const left = seatsFor(activeProduct(await licenceOverview(server, token), PRODUCTS.anglais), 'student');
  assert.equal(left, 2, 'nothing of the refused change was saved');
  assert.deepEqual(problems, []);
  await context.close();
});
