// The pages build their markup with the platform's escaping template, shared with the cabinet's pages.
export { escapeHtml, markup, SafeHtml } from '@gw/platform';
