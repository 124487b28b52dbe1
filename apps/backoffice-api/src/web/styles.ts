/** The UI's one stylesheet, served at /assets/backoffice.css (the CSP allows no inline styles). */
export const STYLESHEET = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 "DejaVu Sans","Liberation Sans",Arial,sans-serif;color:#1d2733;background:#f3f5f8}
header.top{display:flex;align-items:center;gap:24px;padding:10px 24px;background:#1f3a5f;color:#fff}
header.top a{color:#fff;text-decoration:none;padding:4px 8px;border-radius:4px}
header.top a.active,header.top a:hover{background:#2f5589}
header.top .brand{font-weight:bold;margin-right:12px}
header.top nav{display:flex;gap:8px;flex:1}
header.top form{margin:0}
header.top button{background:transparent;color:#fff;border:1px solid #8fa7c7;border-radius:4px;padding:3px 10px;cursor:pointer}
main{padding:20px 24px;max-width:1280px}
h1{font-size:22px;margin:0 0 16px}
h2{font-size:17px;margin:24px 0 8px}
section.card{background:#fff;border:1px solid #d9dfe7;border-radius:6px;padding:14px 18px;margin-bottom:16px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e3e7ee;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef2f7;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
dl.facts{display:grid;grid-template-columns:220px 1fr;gap:4px 16px;margin:0}
dl.facts dt{color:#5b6777}
dl.facts dd{margin:0}
#reading.with-slip{display:grid;grid-template-columns:minmax(0,1fr) minmax(280px,45%);gap:4px 24px;align-items:start}
#reading.with-slip figure.slip{grid-column:2;grid-row:1 / span 2;margin:0}
figure.slip img{display:block;max-width:100%;height:auto;border:1px solid #d9dfe7;border-radius:4px}
figure.slip figcaption{font-size:12px;color:#5b6777;margin-top:4px}
form.inline{display:inline}
form.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:end;margin-bottom:12px}
label{display:flex;flex-direction:column;gap:3px;font-size:13px;color:#3c4857}
input,select,textarea{font:inherit;padding:5px 7px;border:1px solid #b8c2cf;border-radius:4px;background:#fff}
textarea{min-height:60px;width:100%}
button{font:inherit;padding:6px 14px;border-radius:4px;border:1px solid #1f3a5f;background:#1f3a5f;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f3a5f}
button.danger{background:#a3262a;border-color:#a3262a}
button:disabled{background:#dde3ea;border-color:#b8c2cf;color:#3c4857;cursor:not-allowed}
.actions{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.flash{padding:10px 14px;border-radius:4px;margin-bottom:14px}
.flash.ok{background:#e3f4e6;border:1px solid #9fd3a8}
.flash.error{background:#fbe7e7;border:1px solid #e3a3a5}
.tag{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;background:#e8edf4}
.tag.needs_review{background:#fff0c7}.tag.accepted{background:#dff3e3}.tag.rejected{background:#f8dcdc}.tag.duplicate{background:#e8e8e8}
.muted{color:#55606d}
.login{max-width:360px;margin:80px auto}
.login form{display:flex;flex-direction:column;gap:12px}
.legend{display:flex;flex-wrap:wrap;gap:14px;margin:8px 0}
.legend span{display:inline-flex;align-items:center;gap:6px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px}
.legend i.c0{background:#2f6db5}.legend i.c1{background:#e28a1b}.legend i.c2{background:#3a9a5b}.legend i.c3{background:#9b4dca}.legend i.c4{background:#c43c3c}
.visually-hidden{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.field-error{color:#a3262a;font-weight:600;margin:4px 0}
[aria-invalid=true]{border-color:#a3262a;box-shadow:0 0 0 1px #a3262a}
nav.paging{display:flex;gap:16px;align-items:center;margin:10px 0}
form.bulk{margin-top:12px}
form.bulk .buttons{display:flex;gap:12px;margin-top:10px}
tr.failed td{background:#fbe7e7}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #e28a1b;outline-offset:2px}
svg.chart{width:100%;height:auto;background:#fff;border:1px solid #d9dfe7;border-radius:6px}
`;
