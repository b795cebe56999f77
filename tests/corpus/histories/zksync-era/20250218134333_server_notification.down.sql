DROP TABLE IF EXISTS server_notifications;
