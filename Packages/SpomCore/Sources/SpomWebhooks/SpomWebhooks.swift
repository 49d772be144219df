// SpomWebhooks
