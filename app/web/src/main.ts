/**
 * The reference app's front end: plain TypeScript and the DOM (no framework, no inline script or style, so the CDN's
 * CSP needs no `unsafe-inline`). Browse the catalog, submit a report job and poll it to the CSV, manage API keys.
 */
import "./style.css";
import { Api, ApiError, type KeyRecord } from "./api";
import { clearKey, getKey, setKey } from "./keyStore";

const api = new Api(getKey);

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el as T;
}

/** A table cell with text (never HTML: every value from the API goes through textContent). */
function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

const statusEl = $("status");
const errorEl = $("error");

/** Announces progress in the polite live region and clears the last error. */
function status(message: string): void {
  errorEl.textContent = "";
  statusEl.textContent = message;
}

/** Shows an error in the alert region. */
function fail(err: unknown): void {
  const message =
    err instanceof ApiError
      ? err.status === 401
        ? "The API refused the key (401): enter a valid API key."
        : err.status === 403
          ? `Not allowed (403 ${err.code}): ${err.message}`
          : `${err.message} (${err.status} ${err.code})`
      : String(err);
  errorEl.textContent = message;
}

/** Runs a UI action with its button disabled meanwhile, reporting failures. */
function action(button: HTMLButtonElement | null, fn: () => Promise<void>): void {
  if (button) button.disabled = true;
  fn()
    .catch(fail)
    .finally(() => {
      if (button) button.disabled = false;
    });
}

const price = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD" });

// --- API key ---------------------------------------------------------------------------------------------------------

const keyState = $("key-state");
function showKeyState(): void {
  const key = getKey();
  keyState.textContent = key ? `Using key ${key.slice(0, 15)}…` : "No key in use.";
}

$<HTMLFormElement>("key-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const input = $<HTMLInputElement>("api-key");
  const key = input.value.trim();
  if (!key) return;
  setKey(key, $<HTMLInputElement>("remember-key").checked);
  input.value = "";
  showKeyState();
  status("API key set.");
});
$("forget-key").addEventListener("click", () => {
  clearKey();
  showKeyState();
  status("API key forgotten.");
});

// --- Catalog ---------------------------------------------------------------------------------------------------------

let nextAfter: number | null = null;
async function loadCatalog(append: boolean): Promise<void> {
  const page = await api.items(append && nextAfter !== null ? nextAfter : 0);
  const rows = $("catalog-rows");
  if (!append) rows.replaceChildren();
  for (const item of page.items) {
    const tr = document.createElement("tr");
    tr.append(cell(item.sku), cell(item.name), cell(price.format(item.priceCents / 100), "num"));
    rows.append(tr);
  }
  nextAfter = page.next;
  $("catalog-table").hidden = false;
  $("catalog-more").hidden = page.next === null;
  status(`${rows.childElementCount} catalog items shown${page.next === null ? "" : "; more available"}.`);
}
$<HTMLButtonElement>("catalog-load").addEventListener("click", (e) => action(e.currentTarget as HTMLButtonElement, () => loadCatalog(false)));
$<HTMLButtonElement>("catalog-more").addEventListener("click", (e) => action(e.currentTarget as HTMLButtonElement, () => loadCatalog(true)));

// --- Reports ---------------------------------------------------------------------------------------------------------

let polling: number | undefined;
let currentJob: string | undefined;

function showJob(id: string, state: string): void {
  $("job").hidden = false;
  $("job-id").textContent = id;
  $("job-status").textContent = state;
}

/** Polls GET /jobs/:id every second until the job is done or failed (the API answers Retry-After: 1 meanwhile). */
async function poll(id: string): Promise<void> {
  if (id !== currentJob) return; // a newer job replaced this one
  try {
    const job = await api.job(id);
    showJob(id, job.status);
    if (job.status === "done") {
      $("job-download").hidden = false;
      status(`Report ${id} is done: ${job.result?.rowCount ?? 0} rows.`);
      return;
    }
    if (job.status === "failed") {
      fail(`Report ${id} failed: ${job.error ?? "unknown error"}`);
      return;
    }
  } catch (err) {
    fail(err);
    return;
  }
  polling = window.setTimeout(() => void poll(id), 1000);
}

$<HTMLFormElement>("report-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const min = Number($<HTMLInputElement>("report-min-price").value || "0");
  action((e.submitter as HTMLButtonElement | null) ?? null, async () => {
    window.clearTimeout(polling);
    $("job-download").hidden = true;
    const id = await api.submitReport(min);
    currentJob = id;
    showJob(id, "queued");
    status(`Report ${id} submitted; waiting for it to finish.`);
    void poll(id);
  });
});

$<HTMLButtonElement>("job-download").addEventListener("click", (e) =>
  action(e.currentTarget as HTMLButtonElement, async () => {
    if (!currentJob) return;
    // The result needs the key header, so it is fetched, then saved through a temporary object URL.
    const blob = await api.result(currentJob);
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `report-${currentJob}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
    status(`Report ${currentJob} downloaded.`);
  }),
);

// --- API keys (admin) ------------------------------------------------------------------------------------------------

function keyRow(k: KeyRecord): HTMLTableRowElement {
  const tr = document.createElement("tr");
  tr.dataset.keyId = k.id;
  tr.append(cell(k.name), cell(k.prefix), cell(k.scopes.join(", ")), cell(new Date(k.createdAt).toLocaleString()), cell(k.revokedAt ? "revoked" : "active"));
  const td = document.createElement("td");
  if (!k.revokedAt) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = "Revoke";
    b.setAttribute("aria-label", `Revoke key ${k.name}`);
    b.addEventListener("click", () =>
      action(b, async () => {
        await api.revokeKey(k.id);
        await loadKeys();
        status(`Key ${k.name} revoked.`);
      }),
    );
    td.append(b);
  }
  tr.append(td);
  return tr;
}

async function loadKeys(): Promise<void> {
  const keys = await api.keys();
  $("keys-rows").replaceChildren(...keys.map(keyRow));
  $("keys-table").hidden = false;
  status(`${keys.length} API keys.`);
}
$<HTMLButtonElement>("keys-load").addEventListener("click", (e) => action(e.currentTarget as HTMLButtonElement, loadKeys));

$<HTMLFormElement>("key-create-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const form = e.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  const name = String(data.get("name") ?? "").trim();
  const scopes = data.getAll("scopes").map(String);
  action((e.submitter as HTMLButtonElement | null) ?? null, async () => {
    const created = await api.createKey(name, scopes);
    $("new-key-value").textContent = created.key;
    $("new-key").hidden = false;
    form.reset();
    await loadKeys();
    status(`Key ${created.name} created with ${created.scopes.join(", ")}.`);
  });
});

showKeyState();
