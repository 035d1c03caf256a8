/**
 * UI language: Spanish (Chile) by default, English on request, remembered in localStorage.
 * One I18n instance is created by the root layout and shared through context.
 */
import { createContext } from 'svelte';
import { es, type Messages } from './es';
import { en } from './en';

export type Lang = 'es' | 'en';
export type MessageKey = keyof Messages;
export type Params = Record<string, string | number>;

const STORAGE_KEY = 'minga:lang';
const dictionaries: Record<Lang, Messages> = { es, en };
const htmlLang: Record<Lang, string> = { es: 'es-CL', en: 'en' };

/** Replaces `{name}` placeholders with params. */
export function format(template: string, params?: Params): string {
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export class I18n {
	lang = $state<Lang>('es');

	constructor() {
		try {
			if (localStorage.getItem(STORAGE_KEY) === 'en') this.lang = 'en';
		} catch {
			// storage unavailable: keep Spanish
		}
		document.documentElement.lang = htmlLang[this.lang];
	}

	set(lang: Lang): void {
		this.lang = lang;
		document.documentElement.lang = htmlLang[lang];
		try {
			localStorage.setItem(STORAGE_KEY, lang);
		} catch {
			// not remembered, still switched
		}
	}

	/** The message for `key` in the current language, with `{placeholders}` filled in. */
	t = (key: MessageKey, params?: Params): string => format(dictionaries[this.lang][key] ?? key, params);

	/** Picks the one/other form: keys `<base>One` and `<base>Many` must both exist. */
	plural = (base: string, n: number, params?: Params): string =>
		this.t(`${base}${n === 1 ? 'One' : 'Many'}` as MessageKey, { n, ...params });

	/** An API error body's message in the current language. */
	errorText = (e: unknown): string => {
		if (e && typeof e === 'object' && 'code' in e && 'message' in e) {
			const { message, messageEn } = e as { message?: unknown; messageEn?: unknown };
			if (this.lang === 'en' && typeof messageEn === 'string') return messageEn;
			if (typeof message === 'string' && message) return message;
		}
		return this.t('errorUnknown');
	};
}

export const [useI18n, provideI18n] = createContext<I18n>();
