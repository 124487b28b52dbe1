/** Paths never answered as pages: the JSON API, health, metrics and the OpenAPI documents. */
const NOT_PAGES = /^\/(?:v1|health|metrics|docs|docs-json)(?:\/|$)/i;

/** Whether an app with web pages answers this path as a page rather than in JSON. */
export function isPageAddress(path: string): boolean {
  return !NOT_PAGES.test(path);
}
