/**
 * The tab icon: a meter dial in the header's colours, as SVG. Served at /favicon.ico, where every
 * browser asks for it unasked (Chromium shows SVG whatever the name).
 */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#1f3a5f"/>
<circle cx="16" cy="17" r="10" fill="none" stroke="#fff" stroke-width="2.5"/>
<path d="M16 17 L22 11" stroke="#e28a1b" stroke-width="3" stroke-linecap="round"/>
<circle cx="16" cy="17" r="2" fill="#fff"/>
</svg>
`;
