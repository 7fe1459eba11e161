/**
 * Why an operation whose spec security lists no add-on token is not offered: Clockify answers such a
 * call with 401 whatever the add-on's scopes, and the add-ons hold no personal API keys.
 */
export const API_KEY_ONLY_REASON = 'Needs a personal API key: Clockify does not accept an add-on token for this operation.';
