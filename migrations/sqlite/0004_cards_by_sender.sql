-- The daily card cap counts a sender's cards of the day in the database, so that it holds
-- across processes (issue 8).
CREATE INDEX cards_sender_day ON cards (sender_key, local_day);
