// Loaded by the Scalar API reference page as its configuration module. Scalar's page declares no language;
// screen readers need one to pick a voice.
document.documentElement.lang = "en";

export default {};
