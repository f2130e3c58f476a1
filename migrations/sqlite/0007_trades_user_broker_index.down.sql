DROP INDEX trades_user_broker_id;
