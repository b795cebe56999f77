"""Alembic as an oracle: one long-lived process that reads JSON commands on
stdin, one per line, and answers each with one JSON line on stdout.

Commands:
  {"op": "connect", "db": "a", "url": "postgresql+psycopg2://..."}
      opens a database that later commands name by `db`.
  {"op": "graph", "dir": "/abs/dir", "revisions": [{"id", "down", "depends", "labels"}]}
      writes one revision script per revision into `dir` (named `<id>.py`,
      so Alembic loads them in id order) and loads them; answers the heads,
      the bases and the upgrade order from base to heads, or the error
      Alembic raises for the graph.
  {"op": "upgrade" | "downgrade" | "stamp", "db": "a", "target": "...", "purge": false}
      runs the command on that database as `alembic.command` does (the
      same functions of the script directory and the same environment),
      in one transaction; answers the version-table rows after it, or the
      error (class and message) with the transaction rolled back.

Every revision script records its run in `applied_log (id, dir)`, which the
caller creates, so the applied revisions and their order can be read back.
"""

import json
import os
import sys
import traceback

from alembic import util
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

SCRIPT = '''"""{id}

Revision ID: {id}
"""
from alembic import op

revision = {id!r}
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = {depends!r}


def upgrade():
    op.execute("INSERT INTO applied_log (id, dir) VALUES ('{id}', 'up')")


def downgrade():
    op.execute("INSERT INTO applied_log (id, dir) VALUES ('{id}', 'down')")
'''


def scalar(items):
    """Alembic's own spelling: None, one string, or a tuple."""
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return tuple(items)


class Oracle:
    def __init__(self):
        self.engines = {}
        self.script = None
        self.config = None

    def connect(self, cmd):
        old = self.engines.pop(cmd["db"], None)
        if old is not None:
            old.dispose()
        self.engines[cmd["db"]] = create_engine(cmd["url"])
        return {}

    def graph(self, cmd):
        directory = cmd["dir"]
        os.makedirs(directory, exist_ok=True)
        for r in cmd["revisions"]:
            with open(os.path.join(directory, r["id"] + ".py"), "w") as f:
                f.write(
                    SCRIPT.format(
                        id=r["id"],
                        down=scalar(r.get("down", [])),
                        labels=scalar(r.get("labels", [])),
                        depends=scalar(r.get("depends", [])),
                    )
                )
        self.config = Config()
        self.config.set_main_option("script_location", directory)
        self.script = ScriptDirectory(directory, version_locations=[directory])
        rmap = self.script.revision_map
        heads = list(rmap.heads)
        bases = list(rmap.bases)
        order = [
            r.revision
            for r in reversed(list(self.script.iterate_revisions("heads", "base")))
        ]
        return {"heads": heads, "bases": bases, "order": order}

    def run(self, cmd):
        script = self.script
        op = cmd["op"]
        target = cmd["target"]
        if op == "upgrade":

            def fn(rev, context):
                return script._upgrade_revs(target, rev)

        elif op == "downgrade":

            def fn(rev, context):
                return script._downgrade_revs(target, rev)

        else:
            targets = util.to_list(target)

            def fn(rev, context):
                return script._stamp_revs(util.to_tuple(targets), rev)

        steps = []

        def on_apply(ctx, step, heads, run_args):
            steps.append(
                {
                    "up": list(step.up_revision_ids),
                    "down": list(step.down_revision_ids),
                    "upgrade": step.is_upgrade,
                    "stamp": step.is_stamp,
                    "heads": sorted(heads),
                }
            )

        with self.engines[cmd["db"]].connect() as conn:
            trans = conn.begin()
            try:
                with EnvironmentContext(
                    self.config,
                    script,
                    fn=fn,
                    destination_rev=target,
                    purge=cmd.get("purge", False),
                ) as env:
                    env.configure(connection=conn, on_version_apply=on_apply)
                    env.run_migrations()
                rows = sorted(
                    r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))
                )
                trans.commit()
            except BaseException:
                trans.rollback()
                raise
        return {"rows": rows, "steps": steps}


def main():
    oracle = Oracle()
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        cmd = json.loads(line)
        op = cmd["op"]
        try:
            if op == "connect":
                answer = oracle.connect(cmd)
            elif op == "graph":
                answer = oracle.graph(cmd)
            elif op in ("upgrade", "downgrade", "stamp"):
                answer = oracle.run(cmd)
            else:
                raise ValueError("unknown op %r" % op)
            answer["ok"] = True
        except Exception as e:  # every refusal is an answer, not a crash
            answer = {
                "ok": False,
                "kind": type(e).__name__,
                "error": str(e) or repr(e),
                "trace": traceback.format_exc(limit=3) if os.environ.get("ORACLE_TRACE") else "",
            }
        out.write(json.dumps(answer) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
