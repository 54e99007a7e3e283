// scripts/native-build-failed.mjs — runs when node-gyp cannot build the addon: install goes on,
// and kindling falls back to its JavaScript backend (it prints a one-line notice when loaded).
console.warn('kindling: the native addon did not build (no compiler?); the JavaScript backend will be used.');
