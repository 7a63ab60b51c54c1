"""Follow-ups: planning the next message to someone met, the inbox with drafted messages, the
tone coach, the morning digest and the calendar feed."""
