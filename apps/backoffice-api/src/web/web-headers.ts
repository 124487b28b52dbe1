// The same headers as every server-rendered page of the gateway (strict CSP, no framing, no cache).
export { setWebHeaders } from '@gw/platform';
