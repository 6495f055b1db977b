/**
 * Function words of the languages the stories are reported in: they say nothing about which
 * happening a report tells.
 */
const FUNCTION_WORDS = new Set(
  [
    // English
    'the and for that with from this was were are has have had will would its his her their said says say also not but been after over into about than more who what when which they them there here',
    // German, French, Spanish, Portuguese, Italian
    'der die das und mit von für den dem des ist sind wird wurde nicht auch eine einer einem les des une pour dans avec par sur qui que est sont été pas plus del los las una por con para que como sus más não uma com para por dos das pelo pela della delle degli con per che non una sono',
    // Turkish, Indonesian, Russian
    'bir bu ile için olan olarak da de ve ki gibi daha yang dan di ke dari untuk dengan ini itu pada akan tidak dalam adalah oleh juga что это как для его она они при уже был была были будет также от на по из не за',
  ]
    .join(' ')
    .split(' '),
);
const HAN_OR_KANA = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * The words two reports of one happening share, in any language: lower-cased content words cut
 * to their first six letters (so "deliveries" meets "delivered", "поставки" meets "поставка"),
 * numbers, and pairs of neighbouring characters in Chinese and Japanese, which do not space
 * their words.
 */
export function mentionWords(text: string): string[] {
  const words: string[] = [];
  for (const token of text.toLocaleLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (/^\p{N}+$/u.test(token)) {
      if (token.length >= 2) words.push(`#${token}`);
    } else if (HAN_OR_KANA.test(token)) {
      for (let at = 0; at + 1 < token.length; at += 1) words.push(token.slice(at, at + 2));
    } else if (token.length >= 3 && !FUNCTION_WORDS.has(token)) {
      words.push(token.slice(0, 6));
    }
  }
  return words;
}
