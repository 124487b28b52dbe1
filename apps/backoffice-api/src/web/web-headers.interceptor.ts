// Sets the UI's security headers before a page handler runs; shared with the cabinet's pages.
export { WebHeadersInterceptor } from '@gw/platform';
