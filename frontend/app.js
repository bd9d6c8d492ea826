// Loads the WebAssembly app. Kept as a file of its own: the server's
// Content-Security-Policy forbids inline scripts.
import init from '/affecto_frontend.js';

const boot = document.getElementById('boot');

try {
  await init({ module_or_path: '/affecto_frontend_bg.wasm' });
  boot?.remove();
} catch (error) {
  if (boot) {
    boot.setAttribute('role', 'alert');
    boot.textContent =
      "L'application n'a pas pu démarrer. Rechargez la page ; si le problème persiste, " +
      'utilisez un navigateur récent. (' + error + ')';
  }
}
