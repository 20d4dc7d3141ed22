"""Conversations and their turns, in order: (conversation_id, idx) is unique."""

SQL = [
    """
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE turns (
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        idx INTEGER NOT NULL,
        message TEXT NOT NULL,
        reply TEXT NOT NULL,          -- the contract reply object, JSON
        state TEXT,                   -- typed conversation state (ConversationState), JSON or NULL
        created_at TEXT NOT NULL,
        PRIMARY KEY (conversation_id, idx)
    )
    """,
]
