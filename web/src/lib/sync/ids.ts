const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A random id for ideas and clusters: 16 base-36 characters (~82 bits). Uses getRandomValues,
 * not crypto.randomUUID, because the latter only exists in secure contexts and workshops are
 * often served over plain http on a room's Wi-Fi.
 */
export function newId(length = 16): string {
	const bytes = crypto.getRandomValues(new Uint8Array(length));
	let id = '';
	for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
	return id;
}
