/**
 * The graph page in headless Chromium, as VS Code would show it: the HTML from
 * extension/webviewHtml.ts around dist/webview.js, served from a loopback server, with a
 * stand-in `acquireVsCodeApi` that records what the page posts, and the theme variables VS Code
 * would set. Messages to the page go in with `window.postMessage`, as VS Code delivers them.
 */
import { createServer, type Server } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { webviewHtml } from "../../extension/webviewHtml";
import type { ViewState } from "../../webview/viewState";
import type { FromWebview, GraphDto, ToWebview } from "../../webview/protocol";
import { BODY_CLASS, THEMES, type ThemeName } from "./themes";

export const ROOT = resolve(__dirname, "../../..");
const SHOTS = join(ROOT, "artifacts/screenshots");

/** Chromium and its flags, as the VS Code suite launches it (scripts/vscode-instance/). */
const CHROMIUM = JSON.parse(
  readFileSync(join(ROOT, "scripts/vscode-instance/chromium.json"), "utf8"),
) as { executable: string; args: string[] };

export interface OpenOptions {
  /** Embedded in the HTML (the CLI's page), drawn without any message. */
  graph?: GraphDto;
  /** Whether `acquireVsCodeApi` exists (VS Code); false is the CLI's standalone page. */
  host?: boolean;
  /** What `getState()` returns at first (a webview restored by VS Code). */
  state?: unknown;
  theme?: ThemeName;
  size?: { width: number; height: number };
}

export class Harness {
  private pages = new Map<string, string>();
  private count = 0;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private readonly context: BrowserContext,
    private readonly profile: string,
  ) {}

  static async start(): Promise<Harness> {
    const pages = new Map<string, string>();
    const server = createServer((req, res) => {
      const url = req.url ?? "/";
      if (url === "/webview.js" || url === "/webview.js.map") {
        res.writeHead(200, { "content-type": "text/javascript" });
        return res.end(readFileSync(join(ROOT, "dist", url.slice(1))));
      }
      if (url === "/favicon.ico") return res.writeHead(204).end();
      const html = pages.get(url);
      res.writeHead(html ? 200 : 404, { "content-type": "text/html; charset=utf-8" });
      res.end(html ?? "not found");
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const profile = mkdtempSync(join(tmpdir(), "gradlens-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM.executable,
      headless: true,
      args: CHROMIUM.args,
      viewport: { width: 1280, height: 800 },
    });
    const h = new Harness(server, `http://127.0.0.1:${port}`, context, profile);
    h.pages = pages;
    return h;
  }

  /** A fresh page (tab) showing the graph page. */
  async open(opts: OpenOptions = {}): Promise<TestPage> {
    const path = `/page/${++this.count}`;
    this.pages.set(
      path,
      webviewHtml({
        cspSource: this.origin,
        script: { uri: `${this.origin}/webview.js` },
        graph: opts.graph,
        title: "Gradlens test",
      }),
    );
    const page = await this.context.newPage();
    if (opts.size) await page.setViewportSize(opts.size);
    const t = new TestPage(page);
    page.on("dialog", (d) => {
      t.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") t.console.push(m.text());
    });
    page.on("pageerror", (e) => t.console.push(`pageerror: ${e.message}`));
    const theme = opts.theme ?? "dark";
    await page.addInitScript(
      ({ host, state, vars, bodyClass }) => {
        const w = window as unknown as Record<string, unknown>;
        w.__posted = [];
        w.__state = state;
        w.__cspViolations = [];
        document.addEventListener("securitypolicyviolation", (e) =>
          (w.__cspViolations as string[]).push(`${e.violatedDirective} ${e.blockedURI}`),
        );
        if (host) {
          w.acquireVsCodeApi = () => ({
            postMessage: (m: unknown) =>
              (w.__posted as unknown[]).push(JSON.parse(JSON.stringify(m))),
            getState: () => w.__state,
            setState: (s: unknown) => void (w.__state = s),
          });
        }
        // VS Code puts the theme variables on <html>, which does not exist yet at this point.
        const setVars = (): void => {
          for (const [k, v] of Object.entries(vars))
            document.documentElement.style.setProperty(k, v);
        };
        if (document.documentElement) setVars();
        else {
          const seen = new MutationObserver(() => {
            if (!document.documentElement) return;
            seen.disconnect();
            setVars();
          });
          seen.observe(document, { childList: true });
        }
        // VS Code sets the body class once the document is there.
        document.addEventListener("DOMContentLoaded", () => document.body.classList.add(bodyClass));
      },
      {
        host: opts.host ?? true,
        state: opts.state,
        vars: THEMES[theme],
        bodyClass: BODY_CLASS[theme],
      },
    );
    await page.goto(this.origin + path);
    return t;
  }

  async close(): Promise<void> {
    await this.context.close();
    await new Promise((ok) => this.server.close(ok));
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** What the page's debug seam (`window.gradlensDebug.inspect`) reports about a drawn node. */
export interface Inspected {
  label: string;
  classes: string;
  position: { x: number; y: number };
  renderedPosition: { x: number; y: number };
  renderedBox: { x1: number; y1: number; x2: number; y2: number };
  selected: boolean;
  "background-color": string;
  "border-color": string;
  "border-width": string;
  color: string;
  "font-size": string;
  /** Edges only. */
  "line-color"?: string;
}

interface DebugSeam {
  gradlensDebug: { inspect(id: string): Inspected | null; viewState(): ViewState };
}

export class TestPage {
  readonly dialogs: string[] = [];
  readonly console: string[] = [];

  constructor(readonly page: Page) {}

  /** Delivers a message from the "host". */
  async post(msg: ToWebview): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, "*"), msg);
  }

  /** How many messages the page has posted so far (to wait for the next ones). */
  async mark(): Promise<number> {
    return this.page.evaluate(
      () => ((window as unknown as { __posted: unknown[] }).__posted ?? []).length,
    );
  }

  /** The first message of `type` the page posts after `since` (waits up to `timeout` ms). */
  async next<T extends FromWebview["type"]>(
    type: T,
    since = 0,
    timeout = 15000,
  ): Promise<Extract<FromWebview, { type: T }>> {
    const handle = await this.page.waitForFunction(
      ({ type, since }) => {
        const posted = (window as unknown as { __posted: { type: string }[] }).__posted ?? [];
        return posted.slice(since).find((m) => m.type === type) ?? false;
      },
      { type, since },
      { timeout, polling: 20 },
    );
    return (await handle.jsonValue()) as Extract<FromWebview, { type: T }>;
  }

  /** Posts a message and waits for the `rendered` that follows it. */
  async render(msg: ToWebview): Promise<Extract<FromWebview, { type: "rendered" }>> {
    const since = await this.mark();
    await this.post(msg);
    return this.next("rendered", since);
  }

  async inspect(id: string): Promise<Inspected | null> {
    return this.page.evaluate((i) => (window as unknown as DebugSeam).gradlensDebug.inspect(i), id);
  }

  async viewState(): Promise<ViewState> {
    return this.page.evaluate(() => (window as unknown as DebugSeam).gradlensDebug.viewState());
  }

  /** Clicks where a node is drawn, as a user would. */
  async clickNode(id: string, offset = { x: 0, y: 0 }): Promise<void> {
    const info = await this.inspect(id);
    if (!info) throw new Error(`node ${id} is not drawn`);
    const box = await this.page.locator(".__________cytoscape_container").boundingBox();
    if (!box) throw new Error("no graph container");
    const p = info.renderedPosition;
    await this.page.mouse.click(box.x + p.x + offset.x, box.y + p.y + offset.y);
  }

  /** Switches theme the way VS Code does: new variables on <html>, new class on <body>. */
  async setTheme(name: ThemeName): Promise<void> {
    await this.page.evaluate(
      ({ vars, cls, all }) => {
        const style = document.documentElement.style;
        for (const k of Array.from(style)) if (k.startsWith("--vscode-")) style.removeProperty(k);
        for (const [k, v] of Object.entries(vars)) style.setProperty(k, v);
        document.body.classList.remove(...all);
        document.body.classList.add(cls);
      },
      { vars: THEMES[name], cls: BODY_CLASS[name], all: Object.values(BODY_CLASS) },
    );
    await this.page.waitForTimeout(100); // the page re-reads the theme on the next frame
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(SHOTS, { recursive: true });
    const file = join(SHOTS, `webview-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
