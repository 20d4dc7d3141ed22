"""Conversations and their turns, in order."""


def migrate(db):
    db.execute(
        """
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            created_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE turns (
            conversation_id TEXT NOT NULL REFERENCES conversations(id),
            idx INTEGER NOT NULL,
            message TEXT NOT NULL,
            reply TEXT NOT NULL,          -- the contract reply object, JSON
            state TEXT,                   -- pipeline state for follow-ups, JSON or NULL
            created_at TEXT NOT NULL,
            PRIMARY KEY (conversation_id, idx)
        )
        """
    )
