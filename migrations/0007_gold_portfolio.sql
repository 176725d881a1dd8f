CREATE TABLE `gold_market_closes` (
	`symbol` text NOT NULL,
	`day` text NOT NULL,
	`asset_class` text NOT NULL,
	`currency` text NOT NULL,
	`price` integer NOT NULL,
	`occurred_at` text NOT NULL,
	`q` integer NOT NULL,
	PRIMARY KEY(`symbol`, `day`)
);
--> statement-breakpoint
CREATE TABLE `gold_portfolio_daily` (
	`account_id` text NOT NULL,
	`day` text NOT NULL,
	`user_id` text NOT NULL,
	`currency` text NOT NULL,
	`cash_net` integer DEFAULT 0 NOT NULL,
	`cash` integer DEFAULT 0 NOT NULL,
	`contributions` integer DEFAULT 0 NOT NULL,
	`withdrawals` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`account_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `gold_portfolio_daily_user_idx` ON `gold_portfolio_daily` (`user_id`,`day`);--> statement-breakpoint
CREATE TABLE `gold_portfolio_positions` (
	`account_id` text NOT NULL,
	`day` text NOT NULL,
	`symbol` text NOT NULL,
	`user_id` text NOT NULL,
	`qty_delta` integer DEFAULT 0 NOT NULL,
	`qty` integer DEFAULT 0 NOT NULL,
	`fills` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`account_id`, `symbol`, `day`)
);
--> statement-breakpoint
CREATE INDEX `gold_portfolio_positions_user_idx` ON `gold_portfolio_positions` (`user_id`,`day`);