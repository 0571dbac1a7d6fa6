'use strict';
// Realistic answers for all 27 billing reports of Wolkvox's collection (one row per product,
// counts sent as strings), and that collection's own example answers, verbatim. Used by the
// tests, the demo and the benchmark.

const OPERATION = 'Andina Contact Center';

/** Wolkvox dates its rows in its own zone (Colombia, UTC−5), whatever the machine's zone. */
const WOLKVOX_DATE = new Intl.DateTimeFormat('en-CA', {
	timeZone: 'America/Bogota',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23',
});

/** Wolkvox's "date of the query": the simulator's clock, as `YYYY-MM-DD HH:mm:ss` in Bogotá. */
function queryDate(now) {
	const parts = Object.fromEntries(WOLKVOX_DATE.formatToParts(now()).map((p) => [p.type, p.value]));
	return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/**
 * [description, items] per report, for all 27 of Wolkvox's billing reports; `rows()` adds
 * operation and date. Counts are strings, as Wolkvox sends them.
 */
const PRODUCTS = {
	agent_script: [['Agent Script', '42']],
	intelligent_dial: [['Intelligent Dial', '12']],
	gamification: [['Gamification', '18']],
	ivr_minutes: [
		['IVR minutes inbound', '8731'],
		['IVR minutes outbound', '1204'],
	],
	rec_minutes: [
		['IVR recording minutes', '3120'],
		['IVR recording storage (GB)', '41.7'],
	],
	amazon_s3: [['Amazon S3 storage licenses', '40']],
	rsync: [['RSYNC storage licenses', '40']],
	rsync_s3_mp3: [['Audio files copied to Amazon S3', '18342']],
	rec_screen: [
		['Screen recording minutes', '15340'],
		['Calls with screen recording (%)', '37.5'],
	],
	interactions: [
		['Mail interactions', '2210'],
		['Facebook interactions', '418'],
		['Twitter interactions', '36'],
	],
	rec_screen_on_demand: [['On-demand screen recording minutes', '620']],
	speech_analytics: [['Speech analytics minutes', '4410']],
	wp_connectors: [['WhatsApp connectors', '3']],
	sentiment_analysis: [['Sentiment analyses', '2890']],
	chat_licenses: [['Chat licenses', '25']],
	interaction_licenses: [['Interaction licenses', '30']],
	video_call: [['Video call licenses', '6']],
	pbx_licenses: [['PBX licenses', '15']],
	ivr_calls: [['IVR calls', '5120']],
	asr_calls: [['ASR plays', '7720']],
	vision: [['Vision component uses', '133']],
	tts_chars: [['TTS characters', '1250400']],
	wp_connectors_official: [['WhatsApp official connectors', '1']],
	contact_center_licenses: [['Contact center licenses', '45']],
	amd_ai: [['AI answering-machine detections', '20433']],
	stereo_rec: [['Stereo recording minutes', '9080']],
	nlp_ai: [['NLP requests', '9312']],
};

/** Reports whose example in Wolkvox's collection has the code as the string "200". */
const STRING_CODE_REPORTS = new Set(['stereo_rec', 'nlp_ai']);

/** Wolkvox's `msg` for a report: the collection's, which differs for `interactions`. */
function messageOf(api, rows) {
	return api === 'interactions'
		? `${rows.length} records were found`
		: 'Information found for the current month';
}

function defaultReports(now) {
	const reports = {};
	for (const [api, products] of Object.entries(PRODUCTS)) {
		reports[api] = {
			code: STRING_CODE_REPORTS.has(api) ? '200' : 200,
			msg: (rows) => messageOf(api, rows),
			rows: () =>
				products.map(([description, items]) => ({
					operation: OPERATION,
					description,
					items,
					date: queryDate(now),
				})),
		};
	}
	return reports;
}

/**
 * The example answers of Wolkvox's own collection ("wolkvox APIs (ES)", folder Facturación), as
 * written there, CRLF line ends and indentation included: every field a placeholder, "" in 25
 * reports and " " (with the code as a string) in stereo_rec and nlp_ai; `interactions` says
 * "1 records were found".
 */
function collectionExample(api) {
	const quoted = STRING_CODE_REPORTS.has(api);
	const blank = quoted ? '" "' : '""';
	const msg =
		api === 'interactions' ? '1 records were found' : 'Information found for the current month';
	return [
		'{',
		`    "code": ${quoted ? '"200"' : '200'},`,
		'    "error": null,',
		`    "msg": "${msg}",`,
		'    "data": [',
		'        {',
		`            "operation": ${blank},`,
		`            "description": ${blank},`,
		`            "items": ${blank},`,
		`            "date": ${blank}`,
		'        }',
		'    ]',
		'}',
	].join('\r\n');
}

/** The collection's example answer of information.php?api=token_info, as written there. */
const TOKEN_INFO_EXAMPLE = [
	'{',
	'    "code": "200",',
	'    "error": null,',
	'    "msg": " 1 records were found",',
	'    "data": [',
	'        {',
	'            "description": " ",',
	'            "token_limit": " ",',
	'            "token_use_today": " ",',
	'            "all_token_today": " ",',
	'            "available_consumption_options": " "',
	'        }',
	'    ]',
	'}',
].join('\r\n');

/** `count` rows of the usual shape, for large answers (Wolkvox allows up to 60,000). */
function generateRows(count, now = () => new Date()) {
	const date = queryDate(now);
	const rows = new Array(count);
	for (let i = 0; i < count; i++) {
		rows[i] = {
			operation: OPERATION,
			description: `Agent Script license ${String(i + 1).padStart(5, '0')}`,
			items: String((i * 7919) % 1000),
			date,
		};
	}
	return rows;
}

module.exports = {
	OPERATION,
	PRODUCTS,
	TOKEN_INFO_EXAMPLE,
	collectionExample,
	defaultReports,
	generateRows,
	queryDate,
};
