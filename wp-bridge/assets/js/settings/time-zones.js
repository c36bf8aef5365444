/**
 * Time zone names for the Sending settings: the browser's list under current IANA names.
 *
 * Browsers take their list from ICU/CLDR, which keeps zones under the names they had
 * when CLDR first listed them ("Asia/Calcutta", "Europe/Kiev"); IANA has renamed these
 * since (the old names are only aliases there). People look for the current ones.
 */

// Renamed by IANA (tzdata's `backward` file), still listed under the old name by ICU.
export const RENAMED = {
	'Africa/Asmera': 'Africa/Asmara',
	'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
	'America/Catamarca': 'America/Argentina/Catamarca',
	'America/Coral_Harbour': 'America/Atikokan',
	'America/Cordoba': 'America/Argentina/Cordoba',
	'America/Godthab': 'America/Nuuk',
	'America/Indianapolis': 'America/Indiana/Indianapolis',
	'America/Jujuy': 'America/Argentina/Jujuy',
	'America/Louisville': 'America/Kentucky/Louisville',
	'America/Mendoza': 'America/Argentina/Mendoza',
	'Asia/Calcutta': 'Asia/Kolkata',
	'Asia/Katmandu': 'Asia/Kathmandu',
	'Asia/Rangoon': 'Asia/Yangon',
	'Asia/Saigon': 'Asia/Ho_Chi_Minh',
	'Atlantic/Faeroe': 'Atlantic/Faroe',
	'Europe/Kiev': 'Europe/Kyiv',
	'Pacific/Enderbury': 'Pacific/Kanton',
	'Pacific/Ponape': 'Pacific/Pohnpei',
	'Pacific/Truk': 'Pacific/Chuuk',
};

/**
 * A zone's current name (a stored old name shows, and saves, as the new one).
 *
 * @param {string} name IANA name.
 * @return {string} The current name.
 */
export const currentZone = (name) => RENAMED[name] || name;

/**
 * IANA time zone names the browser knows, current names, sorted (UTC first).
 *
 * @return {Array} [name, name] pairs.
 */
export function zones() {
	const all =
		typeof Intl.supportedValuesOf === 'function'
			? Intl.supportedValuesOf('timeZone')
			: [];
	const names = [...new Set(all.map(currentZone))]
		.filter((z) => z !== 'UTC')
		.sort();
	return ['UTC', ...names].map((z) => [z, z]);
}
