"""Thumbs up/down (and an optional comment) on one turn of a conversation."""


def migrate(db):
    db.execute(
        """
        CREATE TABLE feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            conversation_id TEXT NOT NULL,
            turn INTEGER NOT NULL,
            rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
            comment TEXT,
            created_at TEXT NOT NULL,
            FOREIGN KEY (conversation_id, turn) REFERENCES turns(conversation_id, idx)
        )
        """
    )
    db.execute("CREATE INDEX feedback_conversation ON feedback (conversation_id, turn)")
