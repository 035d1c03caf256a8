CREATE TABLE `join_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`workshop_id` text NOT NULL,
	`name` text NOT NULL,
	`sector` text NOT NULL,
	`comuna` text NOT NULL,
	`device_id` text NOT NULL,
	`secret_hash` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	`participant_id` text,
	FOREIGN KEY (`workshop_id`) REFERENCES `workshops`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`participant_id`) REFERENCES `participants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `join_requests_workshop` ON `join_requests` (`workshop_id`,`status`);--> statement-breakpoint
CREATE INDEX `join_requests_device` ON `join_requests` (`workshop_id`,`device_id`);--> statement-breakpoint
ALTER TABLE `participants` ADD `device_id` text;--> statement-breakpoint
CREATE INDEX `participants_device` ON `participants` (`workshop_id`,`device_id`);--> statement-breakpoint
ALTER TABLE `workshops` ADD `join_policy` text DEFAULT 'open' NOT NULL;