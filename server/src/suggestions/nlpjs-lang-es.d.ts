/** The part of @nlpjs/lang-es (plain CommonJS, no types of its own) that Minga uses. */
declare module '@nlpjs/lang-es' {
  export class StemmerEs {
    stemWord(word: string): string;
  }
}
