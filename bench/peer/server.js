// Starts the peer on PORT (webhooks at POST /), with its own database.
//   APP_ID, PRIVATE_KEY, WEBHOOK_SECRET: the GitHub App's, as for any Probot app
//   PORT (8091), HOST (127.0.0.1), PGHOST/PGPORT/PGUSER/PGDATABASE: node-postgres' own variables
//   POOL_SIZE (16)
import { createServer } from "node:http";
import pg from "pg";
import { Probot, createNodeMiddleware } from "probot";
import { peer, SCHEMA } from "./app.js";

const pool = new pg.Pool({ max: Number(process.env.POOL_SIZE || 16) });
await pool.query(SCHEMA);

const probot = new Probot({
    appId: process.env.APP_ID,
    privateKey: process.env.PRIVATE_KEY,
    secret: process.env.WEBHOOK_SECRET,
    logLevel: process.env.LOG_LEVEL || "warn",
});
const middleware = await createNodeMiddleware(peer(pool), { probot, webhooksPath: "/" });
const server = createServer((req, res) => {
    middleware(req, res, () => {
        res.writeHead(404).end();
    });
});
server.keepAliveTimeout = 60_000;
const port = Number(process.env.PORT || 8091);
server.listen(port, process.env.HOST || "127.0.0.1", () => {
    console.log(`peer listening on ${port}`);
});
const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
