CREATE TABLE `board_checkpoints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`board_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`reason` text NOT NULL,
	`phase` text NOT NULL,
	`ideas` integer NOT NULL,
	`data` blob NOT NULL,
	FOREIGN KEY (`board_id`) REFERENCES `boards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `board_checkpoints_board` ON `board_checkpoints` (`board_id`,`id`);