// Remembers the light/dark choice for a year; the server reads it to render the right theme first.
window.exportStudioTheme = {
  remember(name, value) {
    document.cookie = `${name}=${value}; path=/; max-age=31536000; SameSite=Lax`;
  },
};
