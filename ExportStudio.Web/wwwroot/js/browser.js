// What the server cannot know without asking the browser: this tab's saved export form and the time zone.
// sessionStorage is per tab and survives reloads and a restarted server, which a circuit does not.
window.exportStudioBrowser = {
  load(key) {
    try {
      return sessionStorage.getItem(key);
    } catch {
      return null; // storage disabled: the form simply starts afresh
    }
  },
  save(key, value) {
    try {
      if (value === null) {
        sessionStorage.removeItem(key);
      } else {
        sessionStorage.setItem(key, value);
      }
    } catch {
      // Storage full or disabled: nothing to keep, nothing to break.
    }
  },
  timeZone() {
    return {
      name: Intl.DateTimeFormat().resolvedOptions().timeZone ?? null,
      offsetMinutes: -new Date().getTimezoneOffset(),
    };
  },
};
