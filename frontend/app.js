// The reference front end: renders the seed page from the CMS's GraphQL API alone.
// Plain ES modules, no build step. Routes: /, /articles/<slug>/, /preview?token=...
const SITE = document.documentElement.dataset.site || undefined; // one site: may stay unset

async function graphql(query, variables = {}) {
  const response = await fetch("/graphql/", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map((e) => e.message).join("; "));
  return body.data;
}

const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// Every URL from an answer goes into an attribute through the shared sanitizer's check
// (/sanitize.js, the CMS's cms/embed/sanitize.js): http(s), mailto and tel only.
const url = (value) => esc(CmsSanitizer.safeUrl(value));
const srcset = (value) => {
  const candidates = String(value ?? "").split(",").map((c) => c.trim().split(/\s+/));
  return candidates.every(([u]) => CmsSanitizer.safeUrl(u)) ? esc(value) : "";
};

// The HTML fields (html, embedHtml) never go into a string: the page's markup holds a
// placeholder, replaced after insertion by the nodes the sanitizer built.
const htmlSlots = [];
function html(value, options) {
  htmlSlots.push(CmsSanitizer.fragment(value, options));
  return `<div data-html-slot="${htmlSlots.length - 1}"></div>`;
}
function insert(element, markup) {
  element.innerHTML = markup;
  for (const slot of element.querySelectorAll("[data-html-slot]")) {
    slot.replaceWith(htmlSlots[slot.dataset.htmlSlot]);
  }
}

const CHROME = `query Chrome($site: String) {
  siteChrome(site: $site) {
    profile { name description slogan valuesHeading values copyrightLine icpNumber icpUrl businessLicenceLabel businessLicenceUrl }
    mainMenu { label url children { label url } }
    footerMenu { label url children { label url } }
    contacts { heading intro wechatLabel wechatCaption wechatQrCode { alt rendition(filter: "fill-160x160") { url } }
               phoneLines { label number telUri isOpenNow serviceHours { label } } }
    callToAction { heading text buttonLabel target { kind url } }
    home { heroHeading intro featuredArticles { title url publishedAt summary } }
  }
  bookingForm(site: $site) { heading intro submitLabel formToken privacyNotice
    fields { name label fieldType required helpText choices } interests { slug name } }
}`;

const ARTICLE_FIELDS = `title subtitle publishedAt summary oembedUrl
  cover { alt srcset(widths: [640, 960]) rendition(filter: "fill-960x540") { url width height } }
  body { __typename
    ... on HeadingBlock { text level }
    ... on ParagraphBlock { html }
    ... on FigureBlock { alt caption image { rendition(filter: "max-800x800") { url width height } } }
    ... on QuoteBlock { html speakerName speakerRole }
    ... on MediaEmbedBlock { url embedHtml caption }
    ... on KeyFiguresBlock { heading figures { label value } }
    ... on CallToActionBlock { callToAction { heading text buttonLabel target { url } } } }
  sources { name url }
  recommendedReading { title url }`;

const date = (iso) => iso.slice(0, 19).replace("T", " ");

function renderBlock(block) {
  switch (block.__typename) {
    case "HeadingBlock": {
      const level = block.level === "h3" ? "h3" : "h2"; // the only levels editors have
      return `<${level}>${esc(block.text)}</${level}>`;
    }
    case "ParagraphBlock": return html(block.html);
    case "FigureBlock": {
      const r = block.image?.rendition;
      return r ? `<figure><img src="${url(r.url)}" width="${esc(r.width)}" height="${esc(r.height)}" alt="${esc(block.alt)}">${block.caption ? `<figcaption>${esc(block.caption)}</figcaption>` : ""}</figure>` : "";
    }
    case "QuoteBlock":
      return `<blockquote><p class="speaker">${esc(block.speakerRole ?? "")}${esc(block.speakerName)}:</p>${html(block.html)}</blockquote>`;
    case "MediaEmbedBlock": return `<figure>${block.embedHtml ? html(block.embedHtml, { embed: true }) : `<a href="${url(block.url)}">${esc(block.url)}</a>`}</figure>`;
    case "KeyFiguresBlock":
      return `${block.heading ? `<h3>${esc(block.heading)}</h3>` : ""}<ul class="figures">${block.figures.map((f) => `<li><strong>${esc(f.value)}</strong>${esc(f.label)}</li>`).join("")}</ul>`;
    case "CallToActionBlock": return renderCta(block.callToAction);
    default: return "";
  }
}

function renderArticle(article) {
  if (!article) return `<h1>未找到文章</h1><p><a href="/">返回首页</a></p>`;
  document.title = article.title;
  const link = document.createElement("link");
  Object.assign(link, { rel: "alternate", type: "application/json+oembed", href: CmsSanitizer.safeUrl(article.oembedUrl) });
  document.head.append(link);
  const cover = article.cover;
  return `<article>
    <h1>${esc(article.title)}</h1>${article.subtitle ? `<p>${esc(article.subtitle)}</p>` : ""}
    <p class="date"><time datetime="${esc(article.publishedAt)}">${esc(date(article.publishedAt))}</time></p>
    ${cover ? `<img class="cover" src="${url(cover.rendition.url)}" srcset="${srcset(cover.srcset)}" sizes="(max-width: 48rem) 100vw, 60vw" alt="${esc(cover.alt)}">` : ""}
    ${article.body.map(renderBlock).join("\n")}
    <p>来源:${article.sources.map((s) => (s.url ? `<a href="${url(s.url)}">${esc(s.name)}</a>` : esc(s.name))).join("、")}</p>
    <section><h2>往期推荐</h2><ol>${article.recommendedReading.map((r) => `<li><a href="${url(r.url)}">${esc(r.title)}</a></li>`).join("")}</ol></section>
  </article>`;
}

function renderHome(home) {
  return `<h1>${esc(home.heroHeading)}</h1><p>${esc(home.intro)}</p>
    <ul>${home.featuredArticles.map((a) => `<li><a href="${url(a.url)}">${esc(a.title)}</a> <span class="date">${esc(date(a.publishedAt))}</span><br>${esc(a.summary)}</li>`).join("")}</ul>`;
}

function renderCta(cta) {
  if (!cta) return "";
  const href = cta.target?.url || "#booking";
  return `<section class="cta card"><h2>${esc(cta.heading)}</h2><p>${esc(cta.text)}</p><a class="button" href="${url(href)}"><button type="button">${esc(cta.buttonLabel)}</button></a></section>`;
}

const menu = (items) => items.map((i) => `<a href="${url(i.url)}">${esc(i.label)}</a>${i.children.map((c) => ` <a href="${url(c.url)}">${esc(c.label)}</a>`).join("")}`).join("");

function renderContact(card) {
  const qr = card.wechatQrCode?.rendition;
  return `<section class="card"><h2>${esc(card.heading)}</h2><p>${esc(card.intro)}</p>
    ${card.phoneLines.map((p) => `<p><a href="${url(p.telUri)}">${esc(p.number)}</a> 电话服务时间: ${esc(p.serviceHours.label)}${p.isOpenNow ? "(服务中)" : ""}</p>`).join("")}
    <h3>${esc(card.wechatLabel)}</h3>${qr ? `<img src="${url(qr.url)}" width="160" height="160" alt="${esc(card.wechatQrCode.alt)}">` : ""}<p>${esc(card.wechatCaption)}</p></section>`;
}

function renderField(field, interests) {
  const id = esc(`f-${field.name}`);
  const star = field.required ? " *" : "";
  if (field.fieldType === "interests")
    return `<fieldset><legend>${esc(field.label)}${star}</legend>${interests.map((i) => `<label><input type="checkbox" name="${esc(field.name)}" value="${esc(i.slug)}"> ${esc(i.name)}</label>`).join("")}</fieldset>`;
  const input = field.fieldType === "message" || field.fieldType === "multiline"
    ? `<textarea id="${id}" name="${esc(field.name)}" rows="3"${field.required ? " required" : ""}></textarea>`
    : `<input type="text" id="${id}" name="${esc(field.name)}"${field.fieldType === "mobile" ? ' inputmode="tel"' : ""}${field.required ? " required" : ""}>`;
  return `<label for="${id}">${esc(field.label)}${star}</label>${input}${field.helpText ? `<small>${esc(field.helpText)}</small>` : ""}<p class="error" data-error="${esc(field.name)}"></p>`;
}

function renderBookingForm(form) {
  if (!form) return "";
  return `<section class="card" id="booking"><h2>${esc(form.heading)}</h2><p>${esc(form.intro)}</p>
    <form novalidate>
      ${form.fields.map((f) => renderField(f, form.interests)).join("")}
      <input class="honeypot" type="text" name="website" tabindex="-1" autocomplete="off" aria-hidden="true">
      <label><input type="checkbox" name="consent"> 我已阅读并同意隐私政策</label><small>${esc(form.privacyNotice)}</small>
      <p class="error" data-error="consent"></p>
      <button type="submit">${esc(form.submitLabel)}</button><p class="status" role="status"></p>
    </form></section>`;
}

const SUBMIT = `mutation Submit($input: SubmitBookingFormInput!) { submitBookingForm(input: $input) { ok message errors { field message } } }`;

function wireBookingForm(form) {
  const element = document.querySelector("#booking form");
  if (!element) return;
  const idempotencyKey = crypto.randomUUID();
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(element);
    const values = {};
    for (const field of form.fields) {
      values[field.name] = field.fieldType === "interests" ? data.getAll(field.name) : data.get(field.name) ?? "";
    }
    element.querySelectorAll("[data-error]").forEach((p) => (p.textContent = ""));
    const status = element.querySelector(".status");
    try {
      const { submitBookingForm: result } = await graphql(SUBMIT, { input: {
        site: SITE, values, consent: data.get("consent") === "on", formToken: form.formToken,
        idempotencyKey, website: data.get("website"), sourcePath: decodeURIComponent(location.pathname) } });
      if (result.ok) { element.reset(); status.className = "status success"; status.textContent = result.message || "提交成功"; return; }
      for (const error of result.errors) {
        const target = element.querySelector(`[data-error="${CSS.escape(error.field)}"]`) || status;
        target.textContent = error.message;
      }
    } catch (error) { status.className = "status error"; status.textContent = error.message; }
  });
}

async function main() {
  const path = decodeURIComponent(location.pathname);
  const params = new URLSearchParams(location.search);
  const chrome = await graphql(CHROME, { site: SITE });
  const { profile, home } = chrome.siteChrome;
  document.querySelector("#site-header").innerHTML = `<strong><a href="/">${esc(profile?.name)}</a></strong> <nav>${menu(chrome.siteChrome.mainMenu)}</nav>`;

  let content;
  if (path.startsWith("/preview")) {
    const data = await graphql(`query P($token: String) { page(token: $token) { __typename ... on ArticlePage { ${ARTICLE_FIELDS} } } }`, { token: params.get("token") });
    // Every refused token (unknown, expired, tampered, another site's) answers page: null.
    if (!data.page) content = `<h1>未找到预览</h1><p>预览链接无效或已过期,请在后台重新点击“预览”。</p>`;
    else content = data.page.__typename === "ArticlePage" ? renderArticle(data.page) : "<h1>此类页面暂不支持预览</h1>";
  } else if (path.startsWith("/articles/") && path.split("/").filter(Boolean).length === 2) {
    const data = await graphql(`query A($path: String, $site: String) { article(urlPath: $path, site: $site) { ${ARTICLE_FIELDS} } }`, { path, site: SITE });
    content = renderArticle(data.article);
  } else {
    content = home ? renderHome(home) : "";
  }
  insert(document.querySelector("#main"), content);
  document.querySelector("#sidebar").innerHTML = chrome.siteChrome.contacts.map(renderContact).join("") + renderBookingForm(chrome.bookingForm);
  wireBookingForm(chrome.bookingForm);
  document.querySelector("#site-footer").innerHTML = `
    <p>${esc(profile?.description)}</p>${renderCta(chrome.siteChrome.callToAction)}
    <p>${esc(profile?.slogan)}</p><h3>${esc(profile?.valuesHeading)}</h3><p>${esc((profile?.values ?? []).join("·"))}</p>
    <nav>${menu(chrome.siteChrome.footerMenu)}</nav>
    <p>${esc(profile?.copyrightLine)} <a href="${url(profile?.icpUrl)}">${esc(profile?.icpNumber)}</a>
       ${profile?.businessLicenceUrl ? `<a href="${url(profile.businessLicenceUrl)}">${esc(profile.businessLicenceLabel)}</a>` : ""}</p>`;
  document.body.dataset.ready = "true";
}

main().catch((error) => {
  document.querySelector("#main").innerHTML = `<p class="error">无法加载内容:${esc(error.message)}</p>`;
  document.body.dataset.ready = "error";
});
