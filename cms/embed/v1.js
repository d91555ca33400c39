/* Partner embed widget, v1. Paste on any page of an allowed origin:
 *   <script src="https://cms.example.cn/embed/v1.js" defer></script>
 *   <cms-articles site="www.example.cn" category="政策解读" limit="5"></cms-articles>
 *   <cms-booking-form site="www.example.cn" partner="阳光托育中心"></cms-booking-form>
 * Shadow DOM keeps the partner's CSS and ours apart; theme it with --cms-accent,
 * --cms-text, --cms-muted, --cms-radius and --cms-font on the elements.
 * Served after cms/embed/sanitize.js (CmsSanitizer), in one block, by cms/embed/widget.py. */
(() => {
  const CMS = new URL(document.currentScript.src).origin;

  const unwrap = (body) => {
    if (body.errors) throw new Error(body.errors.map((e) => e.message).join(";"));
    return body.data;
  };

  // Reads go over GET with Apollo's persisted queries: the URL names the query's SHA-256
  // alone, so browsers and CDNs can cache the answer. An unknown hash is sent again once
  // with its query. Without crypto.subtle (an insecure page) the query itself is sent.
  async function read(query, variables) {
    query = query.replace(/\s+/g, " ");
    const get = async (params) => {
      const search = new URLSearchParams({ ...params, variables: JSON.stringify(variables) });
      return (await fetch(`${CMS}/graphql/?${search}`)).json();
    };
    if (!globalThis.crypto?.subtle) return unwrap(await get({ query }));
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(query));
    const sha256Hash = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash } });
    const body = await get({ extensions });
    const code = body.errors?.[0]?.extensions?.code;
    return unwrap(code === "PERSISTED_QUERY_NOT_FOUND" ? await get({ extensions, query }) : body);
  }

  // Writes (the booking) stay POST: the CMS refuses mutations over GET.
  async function write(query, variables) {
    const response = await fetch(`${CMS}/graphql/`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    return unwrap(await response.json());
  }

  const esc = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  // URLs from an answer go into attributes only through the shared sanitizer's scheme check.
  const url = (value) => esc(CmsSanitizer.safeUrl(value));
  const STYLE = `<style>
    :host { display: block; font-family: var(--cms-font, inherit); color: var(--cms-text, #222); }
    a { color: var(--cms-accent, #2f7d6d); }
    ul { list-style: none; padding: 0; margin: 0; }
    li { display: flex; gap: .75rem; margin: 0 0 1rem; }
    img { border-radius: var(--cms-radius, 4px); flex: none; }
    time, small { color: var(--cms-muted, #666); font-size: .875em; }
    label { display: block; margin: .5rem 0 .2rem; }
    input[type=text], textarea { width: 100%; box-sizing: border-box; padding: .4rem; border-radius: var(--cms-radius, 4px); border: 1px solid #ccc; }
    button { background: var(--cms-accent, #2f7d6d); color: #fff; border: 0; padding: .6rem 1.4rem; border-radius: var(--cms-radius, 4px); cursor: pointer; }
    .error { color: #b00020; } .success { color: var(--cms-accent, #2f7d6d); font-weight: bold; }
    .honeypot { position: absolute; left: -9999px; }
  </style>`;

  class CmsArticles extends HTMLElement {
    async connectedCallback() {
      const root = this.shadowRoot || this.attachShadow({ mode: "open" });
      root.innerHTML = `${STYLE}<p role="status">加载中…</p>`;
      const limit = Math.min(Math.max(parseInt(this.getAttribute("limit") || "5", 10) || 5, 1), 20);
      try {
        const data = await read(
          `query CmsArticles($site: String, $category: String, $perPage: Int) {
            articles(site: $site, category: $category, perPage: $perPage) { items {
              title publishedAt summary seo { canonicalUrl }
              cover { alt rendition(filter: "fill-160x160") { url width height } } } } }`,
          { site: this.getAttribute("site") || undefined, category: this.getAttribute("category") || undefined, perPage: limit },
        );
        root.innerHTML = `${STYLE}<ul aria-label="最新文章">${data.articles.items.map((a) => `
          <li>${a.cover ? `<img src="${url(a.cover.rendition.url)}" width="80" height="80" alt="${esc(a.cover.alt)}">` : ""}
            <div><a href="${url(a.seo.canonicalUrl)}" target="_top">${esc(a.title)}</a><br>
            <time datetime="${esc(a.publishedAt)}">${esc(a.publishedAt.slice(0, 10))}</time>
            <p>${esc(a.summary)}</p></div></li>`).join("")}</ul>`;
      } catch (error) {
        root.innerHTML = `${STYLE}<p role="alert">暂时无法加载文章。</p>`;
      }
    }
  }

  class CmsBookingForm extends HTMLElement {
    async connectedCallback() {
      const root = this.shadowRoot || this.attachShadow({ mode: "open" });
      root.innerHTML = `${STYLE}<p role="status">加载中…</p>`;
      const site = this.getAttribute("site") || undefined;
      let form;
      try {
        form = (await read(
          `query CmsBookingForm($site: String) { bookingForm(site: $site) { heading intro submitLabel
             formToken privacyNotice fields { name label fieldType required helpText } interests { slug name } } }`,
          { site },
        )).bookingForm;
      } catch (error) {
        root.innerHTML = `${STYLE}<p role="alert">暂时无法加载预约表单。</p>`;
        return;
      }
      if (!form) { root.innerHTML = ""; return; }
      const field = (f) => {
        const id = esc(`cms-${f.name}`);
        const star = f.required ? " *" : "";
        if (f.fieldType === "interests") {
          return `<fieldset><legend>${esc(f.label)}${star}</legend>${form.interests.map((i) =>
            `<label><input type="checkbox" name="${esc(f.name)}" value="${esc(i.slug)}"> ${esc(i.name)}</label>`).join("")}</fieldset>
            <p class="error" data-error="${esc(f.name)}"></p>`;
        }
        const control = f.fieldType === "message" || f.fieldType === "multiline"
          ? `<textarea id="${id}" name="${esc(f.name)}" rows="3"></textarea>`
          : `<input type="text" id="${id}" name="${esc(f.name)}"${f.fieldType === "mobile" ? ' inputmode="tel" autocomplete="tel"' : ""}>`;
        return `<label for="${id}">${esc(f.label)}${star}</label>${control}
          ${f.helpText ? `<small>${esc(f.helpText)}</small>` : ""}<p class="error" data-error="${esc(f.name)}"></p>`;
      };
      root.innerHTML = `${STYLE}<form novalidate aria-label="${esc(form.heading)}">
        <h2>${esc(form.heading)}</h2><p>${esc(form.intro)}</p>${form.fields.map(field).join("")}
        <input class="honeypot" type="text" name="website" tabindex="-1" autocomplete="off" aria-hidden="true">
        <label><input type="checkbox" name="consent"> 我已阅读并同意隐私政策</label><small>${esc(form.privacyNotice)}</small>
        <p class="error" data-error="consent"></p>
        <button type="submit">${esc(form.submitLabel)}</button><p class="status" role="status"></p></form>`;
      const element = root.querySelector("form");
      const idempotencyKey = crypto.randomUUID();
      element.addEventListener("submit", async (event) => {
        event.preventDefault();
        const data = new FormData(element);
        const values = Object.fromEntries(form.fields.map((f) =>
          [f.name, f.fieldType === "interests" ? data.getAll(f.name) : data.get(f.name) ?? ""]));
        root.querySelectorAll("[data-error]").forEach((p) => (p.textContent = ""));
        const status = root.querySelector(".status");
        try {
          const { submitBookingForm: result } = await write(
            `mutation CmsSubmit($input: SubmitBookingFormInput!) { submitBookingForm(input: $input) { ok message errors { field message } } }`,
            { input: { site, values, consent: data.get("consent") === "on", formToken: form.formToken, idempotencyKey,
                       website: data.get("website"), sourcePath: location.href.slice(0, 255),
                       partner: this.getAttribute("partner") || location.hostname } },
          );
          if (result.ok) { element.reset(); status.className = "status success"; status.textContent = result.message || "提交成功"; return; }
          for (const error of result.errors) {
            (root.querySelector(`[data-error="${CSS.escape(error.field)}"]`) || status).textContent = error.message;
          }
        } catch (error) { status.className = "status error"; status.textContent = "提交失败,请稍后重试。"; }
      });
    }
  }

  if (!customElements.get("cms-articles")) customElements.define("cms-articles", CmsArticles);
  if (!customElements.get("cms-booking-form")) customElements.define("cms-booking-form", CmsBookingForm);
})();
