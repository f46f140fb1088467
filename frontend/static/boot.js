// Starts the app (a file, not an inline script, so the Content-Security-Policy allows no inline code).
import init from "/pkg/frontend.js";
init({ module_or_path: "/pkg/frontend_bg.wasm" });
