"""One adapter per outside thing: the DynamoDB repository and the SES mailer."""
