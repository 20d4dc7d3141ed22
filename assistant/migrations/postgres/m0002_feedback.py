"""Thumbs up/down (and an optional comment) on one turn of a conversation."""

SQL = [
    """
    CREATE TABLE feedback (
        id BIGSERIAL PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        turn INTEGER NOT NULL,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        comment TEXT,
        created_at TEXT NOT NULL,
        FOREIGN KEY (conversation_id, turn) REFERENCES turns(conversation_id, idx)
    )
    """,
    "CREATE INDEX feedback_conversation ON feedback (conversation_id, turn)",
]
