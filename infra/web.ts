import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Cdn } from "../components/cdn";
import { INDEX_DOCUMENT, type StaticSite } from "../components/cdn/staticSite";

/** Where `npm run build:web` puts the reference app's front end (app/web, built by Vite; never committed). */
export const WEB_DIST_DIR = path.join(__dirname, "..", "app", "web", "dist");

/**
 * Uploads the reference app's built front end to the edge's bucket (`index.html` at `/`, assets under `/static/`).
 * Without a build (a fresh clone before `npm run build:web`) it declares nothing and says so: the root scripts that
 * plan (`plan`, `policy:coverage`, `docs:diagram`, `test:engine`) build it first whenever the app's dependencies are
 * installed, so CI always plans the same objects for the same source.
 */
export function publishFrontEnd(cdn: Cdn, dir: string = WEB_DIST_DIR): StaticSite | undefined {
    if (!fs.existsSync(path.join(dir, INDEX_DOCUMENT))) {
        void pulumi.log.warn(`the front end is not built (${path.relative(process.cwd(), dir) || dir} has no ${INDEX_DOCUMENT}): no static site is uploaded. Run \`npm --prefix app ci && npm run build:web\`, then plan again.`);
        return undefined;
    }
    return cdn.staticSite("web", dir);
}
