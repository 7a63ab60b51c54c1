// The viewer's date locale as the server chose it (their setting on the reminders page, else
// the browser's languages), from <html data-locale>: dates drawn here read like the server's.
export const dateLocale = document.documentElement.dataset.locale || undefined;
