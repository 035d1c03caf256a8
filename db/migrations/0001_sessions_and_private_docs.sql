CREATE TABLE `board_sessions` (
	`board_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_board_clients` (
	`board_id` text NOT NULL,
	`client_id` integer NOT NULL,
	`owner_id` text NOT NULL,
	PRIMARY KEY(`board_id`, `client_id`)
);
--> statement-breakpoint
INSERT INTO `__new_board_clients`("board_id", "client_id", "owner_id") SELECT "board_id", "client_id", "owner_id" FROM `board_clients`;--> statement-breakpoint
DROP TABLE `board_clients`;--> statement-breakpoint
ALTER TABLE `__new_board_clients` RENAME TO `board_clients`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE TABLE `__new_board_snapshots` (
	`board_id` text PRIMARY KEY NOT NULL,
	`data` blob NOT NULL,
	`last_update_id` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_board_snapshots`("board_id", "data", "last_update_id", "updated_at") SELECT "board_id", "data", "last_update_id", "updated_at" FROM `board_snapshots`;--> statement-breakpoint
DROP TABLE `board_snapshots`;--> statement-breakpoint
ALTER TABLE `__new_board_snapshots` RENAME TO `board_snapshots`;--> statement-breakpoint
CREATE TABLE `__new_board_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`board_id` text NOT NULL,
	`data` blob NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_board_updates`("id", "board_id", "data", "created_at") SELECT "id", "board_id", "data", "created_at" FROM `board_updates`;--> statement-breakpoint
DROP TABLE `board_updates`;--> statement-breakpoint
ALTER TABLE `__new_board_updates` RENAME TO `board_updates`;--> statement-breakpoint
CREATE INDEX `board_updates_board_id` ON `board_updates` (`board_id`,`id`);