// Defined by @electron-forge/plugin-vite (and scripts/build-electron.mjs) for the renderer named
// "main_window": the dev server URL during `npm start`, undefined in a build; and the name itself.
declare const MAIN_WINDOW_VITE_DEV_SERVER_URL: string | undefined;
declare const MAIN_WINDOW_VITE_NAME: string;
