/**
 * The residents' one stylesheet, served at /assets/cabinet.css (the CSP allows no inline styles).
 * Mobile first: one column, large touch targets and 16px inputs (no zoom on focus); wider screens
 * get a centred column and side-by-side facts.
 */
export const STYLESHEET = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 "DejaVu Sans","Liberation Sans",Arial,sans-serif;color:#1b2430;background:#f4f6f8}
a{color:#0b57a4}
a:focus,button:focus,input:focus,select:focus{outline:3px solid #f2a900;outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:8px}
.skip:focus{left:8px;z-index:10}
header.top{background:#0f4c81;color:#fff;padding:10px 16px;display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px}
header.top .brand{font-weight:bold;flex:1;min-width:12em}
header.top a{color:#fff}
header.top form{margin:0}
header.top button{background:transparent;border:1px solid #cfe0f1;color:#fff;padding:6px 12px;min-height:40px}
main{padding:16px;max-width:760px;margin:0 auto}
h1{font-size:24px;line-height:1.25;margin:8px 0 16px}
h2{font-size:19px;margin:24px 0 8px}
h3{font-size:17px;margin:0 0 6px}
p{margin:0 0 12px}
section.card{background:#fff;border:1px solid #d5dce4;border-radius:8px;padding:14px 16px;margin-bottom:16px}
form.stack{display:flex;flex-direction:column;gap:14px}
.field{display:flex;flex-direction:column;gap:4px}
.field label{font-weight:600}
.hint{color:#4f5b69;font-size:14px}
.field-error{color:#a1161b;font-size:15px;font-weight:600}
input,select{font:inherit;font-size:16px;padding:10px;border:1px solid #8c99a8;border-radius:6px;background:#fff;width:100%;min-height:44px}
input[aria-invalid=true]{border:2px solid #a1161b}
button{font:inherit;padding:10px 18px;min-height:44px;border-radius:6px;border:1px solid #0f4c81;background:#0f4c81;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0f4c81}
.flash{padding:12px 14px;border-radius:6px;margin-bottom:16px}
.flash.ok{background:#e2f3e5;border:1px solid #8cc897}
.flash.error{background:#fbe6e6;border:1px solid #d99a9c}
.flash.wait{background:#fff5d6;border:1px solid #e0c46c}
.flash ul{margin:6px 0 0;padding-left:20px}
dl.facts{margin:0}
dl.facts dt{color:#4f5b69;font-size:14px}
dl.facts dd{margin:0 0 8px}
.notice{background:#fff5d6;border-left:4px solid #e0a800;padding:8px 10px;margin:8px 0}
.guidance{background:#eaf2fb;border-left:4px solid #0f4c81;padding:10px 12px;margin-bottom:16px}
.guidance ul{margin:6px 0 0;padding-left:20px}
fieldset{border:1px solid #d5dce4;border-radius:8px;padding:12px 14px;margin:0 0 14px;background:#fff}
legend{font-weight:bold;padding:0 4px}
.last{color:#4f5b69;font-size:14px}
ul.accounts{list-style:none;padding:0;margin:0}
ul.accounts>li{background:#fff;border:1px solid #d5dce4;border-radius:8px;padding:12px 16px;margin-bottom:10px}
ul.accounts>li>h2{margin-top:0}
.decision ul{margin:4px 0 0;padding-left:20px}
.status{font-weight:bold}
.status.accepted{color:#1d6b2c}.status.rejected{color:#a1161b}.status.needs_review,.status.pending{color:#805b00}.status.duplicate{color:#4f5b69}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff;font-size:15px}
caption{text-align:left;font-weight:600;padding:6px 0}
th,td{border-bottom:1px solid #e0e5eb;padding:8px;text-align:left;vertical-align:top}
th{background:#edf1f5}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.muted{color:#4f5b69}
@media (min-width:720px){
dl.facts{display:grid;grid-template-columns:14em 1fr;gap:4px 16px}
dl.facts dd{margin:0}
main{padding:24px}
}
`;
