// The peer: what a team would write instead of the App. Probot has verified the delivery's
// signature before a handler runs, and answers only after the handler's promise settles (200,
// or 500 if it throws), so a delivery is stored in PostgreSQL before GitHub hears "ok".
// One transaction per delivery: the delivery with its payload as jsonb, one row per commit.

export const SCHEMA = `
create table if not exists delivery (
    id          text primary key,
    event       text not null,
    received_at timestamptz not null default now(),
    payload     jsonb not null
);
create table if not exists push_commit (
    delivery_id text not null references delivery (id),
    position    int  not null,
    repository  text not null,
    ref         text not null,
    sha         text not null,
    message     text,
    author_name text,
    author_email text,
    authored_at timestamptz,
    primary key (delivery_id, position)
);
-- "Where did commit abc1234 come from?" is what the data is for.
create index if not exists push_commit_sha on push_commit (sha);
`;

const INSERT_DELIVERY = "insert into delivery (id, event, payload) values ($1, $2, $3)";
const INSERT_COMMITS = `
insert into push_commit (delivery_id, position, repository, ref, sha, message, author_name, author_email, authored_at)
select $1, p, $2, $3, sha, message, author_name, author_email, authored_at
  from unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
       with ordinality as c(sha, message, author_name, author_email, authored_at, p)`;

/** The Probot app function; pool is a node-postgres Pool. */
export function peer(pool) {
    return (app) => {
        app.onAny(async (context) => {
            const client = await pool.connect();
            try {
                await client.query("begin");
                // node-postgres sends an object as JSON text; the column makes it jsonb.
                await client.query(INSERT_DELIVERY, [context.id, context.name, context.payload]);
                const commits = context.name === "push" ? context.payload.commits || [] : [];
                if (commits.length > 0) {
                    await client.query(INSERT_COMMITS, [
                        context.id,
                        context.payload.repository.full_name,
                        context.payload.ref,
                        commits.map((c) => c.id),
                        commits.map((c) => c.message),
                        commits.map((c) => c.author && c.author.name),
                        commits.map((c) => c.author && c.author.email),
                        commits.map((c) => c.timestamp),
                    ]);
                }
                await client.query("commit");
            } catch (e) {
                await client.query("rollback").catch(() => {});
                throw e;
            } finally {
                client.release();
            }
        });
    };
}
