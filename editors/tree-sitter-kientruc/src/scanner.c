// The external scanner of the kientruc grammar: the tokens for which kientruc's parser looks one
// character past the token, which the generated lexer cannot (see `externals` in grammar.js).
//
// - An identifier that ends with `-`. In kientruc an identifier continues with every `-` not
//   directly followed by `>`, so `a-` is an identifier before a space or a comma, and `a-->b`
//   reads `a-` `->` `b`. Identifiers that do not end with `-` are left to the generated lexer
//   (the grammar's `word`, which recognises keywords): the scanner returns false for them.
// - Every identifier and keyword (`as`, `on`, `until`, `via`) of a top-level declaration after
//   its first word, but not one that starts a line: kientruc starts a new declaration there
//   (docs/language.md, 2.10), so the one being continued is cut short and is an error, as it is
//   for kientruc. A keyword of an optional part (`as`, `until`, `via`, also the `via` of a
//   relation inside a body and the `by` of a view's `group by`) only when what follows fits that
//   part, as kientruc's grammar tries the part whole.
// - Integers (`3`, `-5`, `007`) and dates (`2025-07-01`), only when the character after them
//   would not continue them: not a letter, a digit, `_` or a `-` before anything but `>`, and for
//   an integer not a `.` either. So `12ab`, `3.5` and `2025-07-01x` are errors, as in kientruc.
// - The selector of a view's `include` or `exclude` line (docs/rules.md): the rest of the line,
//   up to a `//` comment, a `}` or a `->` outside a string. kientruc's parser takes any such
//   text (the resolver parses the selector), so what makes one an error is its lexer's, which
//   knows no selectors: a string ends on its line (a `\` escapes the next character), `[` and
//   `]` balance (here within the selector), a `{` opens a block, and a word with a letter
//   outside ASCII is refused (KT0012).
//
// - The braces of a view's body, so that its `}` closes it only when its selectors left no `[`
//   open, as for kientruc's lexer (the scanner's one piece of state).

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum TokenType {
  HYPHENATED_IDENTIFIER,
  IMMEDIATE_HYPHENATED_IDENTIFIER,
  CONTINUED_IDENTIFIER,
  CONTINUED_AS,
  CONTINUED_ON,
  CONTINUED_UNTIL,
  CONTINUED_VIA,
  VIA,
  BY,
  INTEGER,
  DATE,
  SELECTOR,
  VIEW_START,
  VIEW_END,
  ERROR_SENTINEL,
};

// The scanner's state, what kientruc's lexer carries past the end of a selector, as it knows no
// selectors: how many `[` the selectors of the current view left open (it balances brackets over
// the whole file, so a `[` in one selector may close in a later one, as in `include a in [b ->
// c]`, and the view's `}` is a mismatch while one is open); and whether a sign outside ASCII in
// a selector that ended at `->` made it read the rest of that line as text.
typedef struct {
  uint8_t open_brackets;
  bool line_is_text;
} Scanner;

void *tree_sitter_kientruc_external_scanner_create(void) {
  Scanner *scanner = calloc(1, sizeof(Scanner));
  return scanner;
}

void tree_sitter_kientruc_external_scanner_destroy(void *payload) { free(payload); }

unsigned tree_sitter_kientruc_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *scanner = payload;
  if (scanner->open_brackets == 0 && !scanner->line_is_text) {
    return 0;
  }
  buffer[0] = (char)scanner->open_brackets;
  buffer[1] = (char)scanner->line_is_text;
  return 2;
}

void tree_sitter_kientruc_external_scanner_deserialize(void *payload, const char *buffer,
                                                       unsigned length) {
  Scanner *scanner = payload;
  scanner->open_brackets = length > 0 ? (uint8_t)buffer[0] : 0;
  scanner->line_is_text = length > 1 && buffer[1] != 0;
}

static bool is_digit(int32_t character) { return character >= '0' && character <= '9'; }

static bool is_identifier_start(int32_t character) {
  return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
         character == '_';
}

static bool is_word_character(int32_t character) {
  return is_identifier_start(character) || is_digit(character);
}

// kientruc's whitespace: a space, \t through \r, and the byte-order mark.
static bool is_space(int32_t character) {
  return character == ' ' || (character >= '\t' && character <= '\r') || character == 0xFEFF;
}

static void advance(TSLexer *lexer) { lexer->advance(lexer, false); }

// The longest keyword, `until`, and a character more: a longer word is no keyword.
#define WORD_CAPACITY 6

// Reads an identifier and marks its end after each character that belongs to it. Returns
// whether its last character is a `-`. The lookahead is an identifier's first character. When
// `word` is not NULL, it receives the identifier's first characters, NUL-terminated.
static bool scan_identifier(TSLexer *lexer, char *word) {
  unsigned length = 0;
  if (word != NULL) {
    word[length++] = (char)lexer->lookahead;
  }
  advance(lexer);
  lexer->mark_end(lexer);
  bool ends_with_hyphen = false;
  for (;;) {
    if (is_word_character(lexer->lookahead)) {
      if (word != NULL && length < WORD_CAPACITY) {
        word[length++] = (char)lexer->lookahead;
      }
      advance(lexer);
      lexer->mark_end(lexer);
      ends_with_hyphen = false;
    } else if (lexer->lookahead == '-') {
      bool stored = word != NULL && length < WORD_CAPACITY;
      if (stored) {
        word[length++] = '-';
      }
      advance(lexer);
      if (lexer->lookahead == '>') {
        // This `-` starts the arrow.
        if (stored) {
          length--;
        }
        break;
      }
      lexer->mark_end(lexer);
      ends_with_hyphen = true;
    } else {
      break;
    }
  }
  if (word != NULL) {
    word[length < WORD_CAPACITY ? length : WORD_CAPACITY] = '\0';
  }
  return ends_with_hyphen;
}

// What must follow a keyword for kientruc to read it as one. Its grammar tries the optional
// parts `as IDENT`, `until DATE` and `via PATH` whole: when what follows the word does not fit,
// the word is not the keyword but the start of the next declaration or entry (a property named
// `via`, as in `via 015`). The first character decides, as a PATH or an IDENT starts with a
// letter or `_` and a DATE with a digit.
enum Follower {
  ANYTHING,
  A_WORD,
  A_DIGIT,
};

struct Keyword {
  const char *text;
  enum TokenType token;
  enum Follower follower;
  // Whether it continues a top-level declaration, and so is refused at the start of a line.
  bool top_level;
};

// The keywords the scanner reads: those after the first word of a top-level declaration, which
// are refused at the start of a line, and the `via` of a relation and the `by` of a view's
// `group by` inside a body, which are not.
static const struct Keyword KEYWORDS[] = {
    {"as", CONTINUED_AS, A_WORD, true},
    {"on", CONTINUED_ON, ANYTHING, true},
    {"until", CONTINUED_UNTIL, A_DIGIT, true},
    {"via", CONTINUED_VIA, A_WORD, true},
    {"via", VIA, A_WORD, false},
    {"by", BY, A_WORD, false},
};

#define KEYWORD_COUNT (sizeof KEYWORDS / sizeof KEYWORDS[0])

// Whether the text after a keyword (its end is marked) starts with what it needs, past
// whitespace and comments.
static bool followed_by(TSLexer *lexer, enum Follower follower) {
  if (follower == ANYTHING) {
    return true;
  }
  for (;;) {
    if (is_space(lexer->lookahead)) {
      advance(lexer);
    } else if (lexer->lookahead == '/') {
      advance(lexer);
      if (lexer->lookahead != '/') {
        return false;
      }
      while (lexer->lookahead != '\n' && !lexer->eof(lexer)) {
        advance(lexer);
      }
    } else {
      break;
    }
  }
  return follower == A_WORD ? is_identifier_start(lexer->lookahead) : is_digit(lexer->lookahead);
}

// Whether the character after a number lets it end there: `-` only before `>` (an arrow).
// Advances past a `-`; the token's end is already marked.
static bool number_may_end(TSLexer *lexer, bool is_integer) {
  int32_t next = lexer->lookahead;
  if (is_word_character(next) || (is_integer && next == '.')) {
    return false;
  }
  if (next == '-') {
    advance(lexer);
    return lexer->lookahead == '>';
  }
  return true;
}

// `-?[0-9]+` or `[0-9]{4}-[0-9]{2}-[0-9]{2}`, whichever is valid here and ends well; a date is
// tried first, as kientruc does.
static bool scan_number(TSLexer *lexer, const bool *valid_symbols) {
  bool negative = false;
  if (lexer->lookahead == '-') {
    advance(lexer);
    negative = true;
  }
  if (!is_digit(lexer->lookahead)) {
    return false;
  }
  unsigned digits = 0;
  while (is_digit(lexer->lookahead)) {
    advance(lexer);
    digits++;
  }
  lexer->mark_end(lexer);
  if (!negative && digits == 4 && lexer->lookahead == '-' && valid_symbols[DATE]) {
    advance(lexer);
    if (lexer->lookahead == '>') {
      // `2025->`: an integer before an arrow.
      lexer->result_symbol = INTEGER;
      return valid_symbols[INTEGER];
    }
    // Past this point the text is no integer: `2025-` followed by a digit cannot end one.
    for (int part = 0; part < 2; part++) {
      if (part == 1) {
        if (lexer->lookahead != '-') {
          return false;
        }
        advance(lexer);
      }
      for (int digit = 0; digit < 2; digit++) {
        if (!is_digit(lexer->lookahead)) {
          return false;
        }
        advance(lexer);
      }
    }
    lexer->mark_end(lexer);
    lexer->result_symbol = DATE;
    return number_may_end(lexer, false);
  }
  if (!valid_symbols[INTEGER]) {
    return false;
  }
  lexer->result_symbol = INTEGER;
  return number_may_end(lexer, true);
}

// Whether a character outside ASCII is one kientruc's lexer counts in a word (a letter, a digit
// or a combining mark of any script: Rust's `char::is_alphanumeric`). The scanner has no Unicode
// tables: this approximation calls word characters all but the blocks of spaces, punctuation,
// symbols, arrows, shapes and emoji, which is exact for the Latin letters of Vietnamese and for
// the signs one types by mistake (a no-break space, curly quotes, an arrow, a dash).
static bool is_non_ascii_word_character(int32_t character) {
  if (character < 0xC0) {
    // Latin-1's signs, but ª ² ³ µ ¹ º ¼ ½ ¾.
    return character == 0xAA || character == 0xB2 || character == 0xB3 || character == 0xB5 ||
           character == 0xB9 || character == 0xBA || (character >= 0xBC && character <= 0xBE);
  }
  if (character == 0xD7 || character == 0xF7) {
    return false;  // × and ÷
  }
  if ((character >= 0x2000 && character <= 0x206F) ||   // general punctuation and spaces
      (character >= 0x20A0 && character <= 0x20CF) ||   // currency signs
      (character >= 0x2190 && character <= 0x245F) ||   // arrows, mathematical and technical signs
      (character >= 0x2500 && character <= 0x2775) ||   // box drawing, shapes, dingbats
      (character >= 0x2794 && character <= 0x2BFF) ||   // arrows and mathematical signs
      (character >= 0x2E00 && character <= 0x2E7F) ||   // supplemental punctuation
      (character >= 0x3000 && character <= 0x3004) ||   // ideographic space and punctuation
      (character >= 0x3008 && character <= 0x3020) ||
      (character >= 0xFE30 && character <= 0xFE4F) ||   // compatibility forms
      (character >= 0xFF01 && character <= 0xFF0F) ||   // full-width signs
      (character >= 0x1F000 && character <= 0x1FAFF)) { // emoji and pictographs
    return false;
  }
  return true;
}

// A selector: at least one character other than whitespace, up to (not including) the end of its
// line, a `//`, a `{`, a `}`, a `->` or a `]` closing no `[` of the view's selectors, and without
// the ASCII whitespace before that end. It may start on a later line than its `include`, `exclude` or
// `->`, as kientruc skips whitespace there; a comment in between is the generated lexer's. Fails
// when a string is left open, and at a word outside ASCII that kientruc's lexer refuses
// (KT0012): a word with a letter outside ASCII, unless a sign outside ASCII came before it on the
// line or directly follows it (the lexer then takes the line for text, not code).
static bool scan_selector(Scanner *scanner, TSLexer *lexer) {
  bool same_line = true;
  while (is_space(lexer->lookahead)) {
    same_line = same_line && lexer->lookahead != '\n';
    lexer->advance(lexer, true);
  }
  lexer->result_symbol = SELECTOR;
  bool empty = true;
  // A target on the line of its `->` continues the source's line.
  bool words_are_text = scanner->line_is_text && same_line;
  bool at_arrow = false;
  unsigned brackets = scanner->open_brackets;
  for (;;) {
    int32_t character = lexer->lookahead;
    if (lexer->eof(lexer) || character == '\n' || character == '{' || character == '}') {
      break;
    }
    if (character == '/' || character == '-') {
      // A comment or an arrow ends the selector; a lone `/` or `-` belongs to it.
      advance(lexer);
      if (lexer->lookahead == (character == '/' ? '/' : '>')) {
        at_arrow = character == '-';
        break;
      }
      lexer->mark_end(lexer);
      empty = false;
      continue;
    }
    if (character == ']' && brackets == 0) {
      break;
    }
    if (character == '"') {
      advance(lexer);
      for (;;) {
        if (lexer->eof(lexer) || lexer->lookahead == '\n') {
          return false;
        }
        int32_t inner = lexer->lookahead;
        advance(lexer);
        if (inner == '"') {
          break;
        }
        if (inner == '\\' && lexer->lookahead != '\n' && !lexer->eof(lexer)) {
          advance(lexer);
        }
      }
      lexer->mark_end(lexer);
      empty = false;
      continue;
    }
    if (character > 0x7F && character != 0xFEFF) {
      if (!words_are_text && is_non_ascii_word_character(character)) {
        // The rest of the word, then what follows it.
        advance(lexer);
        for (;;) {
          int32_t next = lexer->lookahead;
          if (next == '-') {
            advance(lexer);
            if (lexer->lookahead == '>') {
              break;
            }
          } else if (is_word_character(next) || (next > 0x7F && next != 0xFEFF &&
                                                 is_non_ascii_word_character(next))) {
            advance(lexer);
          } else {
            break;
          }
        }
        int32_t next = lexer->lookahead;
        if (next <= 0x7F || next == 0xFEFF || lexer->eof(lexer)) {
          return false;
        }
        // A sign outside ASCII directly after the word: the line is text.
        words_are_text = true;
        lexer->mark_end(lexer);
        empty = false;
        continue;
      }
      words_are_text = true;
    }
    if (character == '[') {
      brackets++;
    } else if (character == ']') {
      brackets--;
    }
    // Trailing spaces outside ASCII (a no-break space) stay in the token, as no other token
    // would take them; kientruc trims them off its selector's text.
    bool space = character == ' ' || (character >= '\t' && character <= '\r');
    advance(lexer);
    if (!space) {
      lexer->mark_end(lexer);
      empty = false;
    }
  }
  if (empty) {
    return false;
  }
  scanner->open_brackets = brackets > UINT8_MAX ? UINT8_MAX : (uint8_t)brackets;
  scanner->line_is_text = at_arrow && words_are_text;
  return true;
}

bool tree_sitter_kientruc_external_scanner_scan(void *payload, TSLexer *lexer,
                                                const bool *valid_symbols) {
  Scanner *scanner = payload;
  // No rule uses the sentinel: it is valid only during error recovery, where every symbol is.
  // Leave identifiers, selectors and braces to the generated lexer then, but still read numbers.
  bool recovering = valid_symbols[ERROR_SENTINEL];

  if (valid_symbols[SELECTOR] && !recovering) {
    return scan_selector(scanner, lexer);
  }
  if ((valid_symbols[VIEW_START] || valid_symbols[VIEW_END]) && !recovering) {
    while (is_space(lexer->lookahead)) {
      lexer->advance(lexer, true);
    }
    if (lexer->lookahead == '{' && valid_symbols[VIEW_START]) {
      advance(lexer);
      scanner->open_brackets = 0;
      scanner->line_is_text = false;
      lexer->result_symbol = VIEW_START;
      return true;
    }
    if (lexer->lookahead == '}' && valid_symbols[VIEW_END]) {
      if (scanner->open_brackets > 0) {
        return false;
      }
      advance(lexer);
      lexer->result_symbol = VIEW_END;
      return true;
    }
  }

  if (valid_symbols[IMMEDIATE_HYPHENATED_IDENTIFIER] && !recovering) {
    // Directly after the `.` of a path: no whitespace may come first.
    lexer->result_symbol = IMMEDIATE_HYPHENATED_IDENTIFIER;
    return is_identifier_start(lexer->lookahead) && scan_identifier(lexer, NULL);
  }

  bool keyword = false;
  bool continued = valid_symbols[CONTINUED_IDENTIFIER];
  for (unsigned index = 0; index < KEYWORD_COUNT; index++) {
    if (valid_symbols[KEYWORDS[index].token]) {
      keyword = true;
      continued = continued || KEYWORDS[index].top_level;
    }
  }
  bool identifier =
      !recovering && (continued || keyword || valid_symbols[HYPHENATED_IDENTIFIER]);
  bool number = valid_symbols[INTEGER] || valid_symbols[DATE];
  if (!identifier && !number) {
    return false;
  }
  while (is_space(lexer->lookahead)) {
    lexer->advance(lexer, true);
  }
  if (identifier && is_identifier_start(lexer->lookahead)) {
    // A word at the start of a line continues no top-level declaration: it may only start the
    // next one.
    bool starts_line = continued && lexer->get_column(lexer) == 0;
    char word[WORD_CAPACITY + 1];
    bool ends_with_hyphen = scan_identifier(lexer, word);
    for (unsigned index = 0; keyword && index < KEYWORD_COUNT; index++) {
      const struct Keyword *candidate = &KEYWORDS[index];
      if (valid_symbols[candidate->token] && strcmp(word, candidate->text) == 0 &&
          !(starts_line && candidate->top_level)) {
        // The keyword, if what follows fits; else the word is the generated lexer's.
        lexer->result_symbol = candidate->token;
        return followed_by(lexer, candidate->follower);
      }
    }
    if (valid_symbols[CONTINUED_IDENTIFIER] && !starts_line) {
      lexer->result_symbol = CONTINUED_IDENTIFIER;
      return true;
    }
    // The first word of a declaration or an entry: the generated lexer reads it (and tells a
    // keyword), unless it ends with `-`.
    lexer->result_symbol = HYPHENATED_IDENTIFIER;
    return valid_symbols[HYPHENATED_IDENTIFIER] && ends_with_hyphen;
  }
  if (number && (is_digit(lexer->lookahead) || lexer->lookahead == '-')) {
    return scan_number(lexer, valid_symbols);
  }
  return false;
}
