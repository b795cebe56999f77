ALTER TABLE
  courier_messages DROP column channel;
