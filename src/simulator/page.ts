// The simulator's one page: the tenant's phone beside the officer's Slack, and the demo clock. Plain
// server-rendered HTML; a few lines of script post the forms in place and redraw the parts that changed
// every second. Without script every form still works (each answers with a redirect back here).
import { escapeHtml } from './blocks-html.js';
import { tenantKey, type TenantChoice } from './phone-view.js';

interface PageParts {
  tenants: TenantChoice[];
  selected: string | null;
  phone: string;
  channel: string;
  ephemerals: string;
  dialog: string;
  home: string;
  notice: string;
  slackOn: boolean;
  dailyAllowed: boolean;
  defaultDailyAt: string;
}

const CSS = `
:root{--ink:#1d1c1d;--muted:#616061;--line:#ddd;--accent:#1264a3;--phone:#f4f4f6;--mine:#0b84ff;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink)}
*{box-sizing:border-box}[hidden]{display:none!important}body{margin:0;background:#fafafa;line-height:1.4}
header.top{padding:.75rem 1rem;background:#3f0e40;color:#fff}header.top h1{margin:0;font-size:1.2rem}header.top p{margin:.25rem 0 0;font-size:.9rem;opacity:.9}
main{display:grid;grid-template-columns:minmax(0,27rem) minmax(0,1fr);gap:1rem;padding:1rem;align-items:start}
section.pane{background:#fff;border:1px solid var(--line);border-radius:12px;padding:1rem;min-width:0}
section.clock{grid-column:1/-1;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:end}section.clock h2{flex-basis:100%;margin:0}section.clock p{margin:0;flex:1 1 14rem}
section.pane h2{margin:0 0 .5rem;font-size:1.05rem}
.conversation{list-style:none;margin:0;padding:.5rem;background:var(--phone);border-radius:12px;min-height:12rem;max-height:60vh;overflow-y:auto;display:flex;flex-direction:column;gap:.4rem}
.bubble{max-width:85%;padding:.45rem .7rem;border-radius:16px;word-wrap:break-word}.bubble p{margin:0}.bubble small{display:block;font-size:.72rem;opacity:.8;margin-top:.2rem}
.bubble.theirs{background:#e5e5ea;align-self:flex-start}.bubble.mine{background:var(--mine);color:#fff;align-self:flex-end}
.bubble.waiting{background:#fff;border:1px dashed #999}
.phone-who{font-weight:600;margin:.25rem 0}.phone-note,.hint{font-size:.85rem;margin:.25rem 0;color:var(--muted)}
form.row{display:flex;gap:.5rem;align-items:end;flex-wrap:wrap;margin:.5rem 0}form.row>div{flex:1 1 10rem;display:flex;flex-direction:column}
label{font-size:.85rem;font-weight:600;margin-bottom:.15rem}
input,select,textarea,button{font:inherit}input,select,textarea{padding:.4rem;border:1px solid #bbb;border-radius:6px;min-width:0;max-width:100%}
select{width:100%}
.bk-text,.bk-context,.bubble p{overflow-wrap:anywhere}
button,.bk-button{padding:.4rem .8rem;border:1px solid #bbb;border-radius:6px;background:#fff;cursor:pointer;color:var(--ink);text-decoration:none;display:inline-block}
button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #ffbf47;outline-offset:1px}
.bk-primary{background:#007a5a;border-color:#007a5a;color:#fff}.bk-danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.slack-message{border-top:1px solid var(--line);padding:.6rem 0}.slack-meta{font-size:.9rem;margin-bottom:.2rem}
.bk-header{font-size:1rem;margin:.3rem 0}.bk-section{margin:.3rem 0}.bk-fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.3rem .8rem;margin:.3rem 0}
.bk-context{font-size:.8rem;color:var(--muted);margin:.3rem 0}.bk-divider{border:0;border-top:1px solid var(--line)}
.bk-actions{display:flex;gap:.4rem;flex-wrap:wrap;align-items:center;margin:.4rem 0}.bk-inline{display:inline}
.bk-overflow{display:inline-block;position:relative}.bk-overflow summary{list-style:none;cursor:pointer;padding:.3rem .7rem;border:1px solid #bbb;border-radius:6px}
.bk-overflow ul{list-style:none;margin:.2rem 0 0;padding:.3rem;position:absolute;right:0;z-index:2;background:#fff;border:1px solid #bbb;border-radius:6px;min-width:10rem}.bk-overflow li button{border:0;width:100%;text-align:left}
.thread{margin:.4rem 0 0 1rem;font-size:.9rem}.thread-list{list-style:none;padding-left:.6rem;border-left:3px solid var(--line)}
.ephemerals{list-style:none;padding:0}.ephemeral{background:#f8f8f8;border-left:3px solid var(--accent);padding:.4rem .6rem;margin:.3rem 0;font-size:.9rem}
.muted{color:var(--muted)}blockquote{margin:.2rem 0;padding-left:.6rem;border-left:3px solid #ccc}.mention{background:#e8f5fa;color:var(--accent);border-radius:3px;padding:0 2px}
.dialog-backdrop{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;padding:.5rem;z-index:10}
.dialog{background:#fff;border-radius:10px;padding:1rem;width:min(32rem,100%);max-height:95vh;overflow:auto}.dialog h2{margin-top:0;font-size:1.1rem}
.bk-input{display:flex;flex-direction:column;margin:.6rem 0}.bk-error{color:#b00020;margin:.2rem 0;font-size:.85rem}.dialog-buttons{display:flex;flex-direction:row-reverse;justify-content:flex-start;gap:.5rem;margin-top:.8rem}
.tabs{display:flex;gap:.3rem;margin:.3rem 0 .6rem}.notice{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.4rem .6rem;margin:0 1rem}
.sr-heading{font-size:.9rem;margin:.8rem 0 .2rem}.clock form{margin:.3rem 0}
@media (max-width:800px){main{grid-template-columns:minmax(0,1fr);padding:.5rem}section.pane{padding:.6rem}}
`;

/** Posts [data-sim] forms in place and redraws changed parts; the page works without it too. */
const SCRIPT = `
(function(){
  var last={};
  function tenant(){var s=document.getElementById('tenant');return s?s.value:'';}
  function put(id,html){
    if(last[id]===html)return false;last[id]=html;var el=document.getElementById(id);if(!el)return true;
    // Keep what the reader was doing: open threads, and a half-typed reply with its focus.
    var open=[].map.call(el.querySelectorAll('details[open][id]'),function(d){return d.id;});
    var active=document.activeElement&&el.contains(document.activeElement)&&document.activeElement.id?document.activeElement:null;
    var typed=active&&'value' in active?active.value:null;
    el.innerHTML=html;
    open.forEach(function(i){var d=document.getElementById(i);if(d)d.open=true;});
    if(active){var again=document.getElementById(active.id);if(again){if(typed!==null)again.value=typed;again.focus();}}
    return true;
  }
  function refresh(){
    return fetch('/simulator/parts?tenant='+encodeURIComponent(tenant()),{headers:{accept:'application/json'},credentials:'same-origin'})
      .then(function(r){return r.ok?r.json():null}).then(function(p){
        if(!p)return;
        put('phone-view',p.phone);
        var changed=put('channel',p.channel);
        if(changed){var c=document.getElementById('channel');c.scrollTop=c.scrollHeight;}
        put('ephemerals',p.ephemerals);put('home',p.home);put('notice',p.notice);
        if(last.dialogKey!==p.dialogKey){last.dialogKey=p.dialogKey;var d=document.getElementById('dialog');d.innerHTML=p.dialog;
          var first=d.querySelector('input:not([type=hidden]),select,textarea');if(first)first.focus();}
        var log=document.querySelector('#phone-view [role=log]');if(log)log.scrollTop=log.scrollHeight;
      }).catch(function(){});
  }
  document.addEventListener('submit',function(e){
    var f=e.target;if(!f.hasAttribute||!f.hasAttribute('data-sim'))return;
    e.preventDefault();
    var action=(e.submitter&&e.submitter.getAttribute('formaction'))||f.getAttribute('action');
    var body=new URLSearchParams(new FormData(f));
    if(f.hasAttribute('data-clear'))[].forEach.call(f.querySelectorAll('input:not([type=hidden])'),function(i){i.value='';});
    fetch(action,{method:'POST',body:body,headers:{'x-simulator-script':'1'},credentials:'same-origin'}).then(refresh).then(function(){
      if(f.id==='send-form')document.getElementById('message').focus();
    });
  });
  document.addEventListener('keydown',function(e){
    if(e.key!=='Escape')return;var cancel=document.querySelector('#dialog [formaction]');if(cancel)cancel.click();
  });
  var sel=document.getElementById('tenant');
  if(sel)sel.addEventListener('change',function(){location.href='/simulator?tenant='+encodeURIComponent(sel.value);});
  var show=document.getElementById('show-tenant');if(show)show.hidden=true;
  refresh();setInterval(refresh,1000);
})();
`;

function tenantOptions(tenants: TenantChoice[], selected: string | null): string {
  return tenants
    .map((t) => {
      const key = tenantKey(t);
      const label = `${t.tenancy_ref} · ${t.first_name} ${t.last_name}${t.tenant_no > 1 ? ` (tenant ${t.tenant_no})` : ''} · ${t.channel === 'whatsapp' ? 'WhatsApp' : t.channel === 'none' ? 'no texts' : 'SMS'}${t.language === 'cy' ? ' · Cymraeg' : ''}`;
      return `<option value="${escapeHtml(key)}"${key === selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
    })
    .join('');
}

export function renderPage(p: PageParts): string {
  const selected = p.selected ? escapeHtml(p.selected) : '';
  const slack = p.slackOn
    ? `<div class="tabs" role="group" aria-label="Slack views">
  <form method="post" action="/simulator/slack/home" data-sim><button type="submit">Open App Home</button></form>
</div>
<form method="post" action="/simulator/slack/command" class="row" data-sim><div><label for="rent-command">/rent</label><input id="rent-command" name="text" placeholder="DEMO000001" autocomplete="off"></div><button type="submit">Run /rent</button></form>
<h3 class="sr-heading">#rent-escalations</h3>
<div id="channel" class="channel" aria-label="Escalation channel">${p.channel}</div>
<div id="ephemerals">${p.ephemerals}</div>
<h3 class="sr-heading">App Home</h3>
<div id="home" class="home">${p.home}</div>`
    : '<p>Slack is configured, so the officer’s cards go to your Slack workspace, not to this page.</p>';
  const daily = p.dailyAllowed
    ? `<form method="post" action="/simulator/clock/daily" class="row" data-sim><div><label for="daily-at">Run the daily job as of</label><input id="daily-at" name="at" type="datetime-local" value="${escapeHtml(p.defaultDailyAt)}"></div><button type="submit">Run the daily job</button></form>`
    : '<p class="muted">The daily job can be run from here only while every tenancy is a demo one (refs DEMO…); use <code>npm run rentline -- run daily --at …</code>.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rentline simulator</title><style>${CSS}</style></head>
<body>
<header class="top"><h1>Rentline simulator</h1><p>A tenant’s phone and an officer’s Slack, on Rentline’s real code paths. Demo data only; nothing leaves this machine.</p></header>
<div id="notice" role="status">${p.notice}</div>
<main>
<section class="pane clock" aria-labelledby="clock-heading">
<h2 id="clock-heading">Demo clock</h2>
<form method="post" action="/simulator/clock/release-held" data-sim><button type="submit">Send held texts now</button></form>
<p class="muted">Sends the demo tenancies’ texts held for the contact window now; every other rule still applies.</p>
${daily}
</section>
<section class="pane phone" aria-labelledby="phone-heading">
<h2 id="phone-heading">Phone</h2><p class="muted">Text Rentline as the chosen tenant.</p>
<form method="get" action="/simulator" class="row"><div><label for="tenant">Tenant</label><select id="tenant" name="tenant">${tenantOptions(p.tenants, p.selected)}</select></div><button type="submit" id="show-tenant">Show</button></form>
<div id="phone-view">${p.phone}</div>
<form method="post" action="/simulator/phone/send" class="row" id="send-form" data-sim data-clear><input type="hidden" name="tenant" value="${selected}">
<div><label for="message">Message</label><input id="message" name="message" autocomplete="off" required maxlength="1600"></div><button type="submit">Send</button></form>
</section>
<section class="pane slack" aria-labelledby="slack-heading">
<h2 id="slack-heading">Slack</h2><p class="muted">The income officer’s view.</p>
${slack}
</section>
</main>
<div id="dialog">${p.dialog}</div>
<script>${SCRIPT}</script>
</body></html>`;
}
