-- An op the central refused stays in the outbox for ever (nothing is dropped silently); an agent
-- who has dealt with it marks it treated, and it leaves the « À traiter » list.
ALTER TABLE outbox ADD COLUMN treated_at INTEGER;
