import {createContext, useContext} from 'react'
import {useIntl} from 'react-intl'
import {dayLabel, FRENCH, langInfo, timeLabel, type Lang} from './i18n'

/** The kiosk's current language. */
export const LangContext = createContext<Lang>(FRENCH)

/**
 * The kiosk's words in its current language: t for the catalogue's texts, day and time for dates,
 * codeText for what Go answered with a code (a refusal, the greeting, the printer's outcome).
 */
export function useText() {
  const intl = useIntl()
  const lang = useContext(LangContext)
  const t = (id: string, values?: Record<string, string | number>) => intl.formatMessage({id}, values)
  const day = (date: string) => dayLabel(lang, date)
  const time = (rfc: string) => timeLabel(lang, rfc)
  /**
   * The text of a code from Go with its params. Params that are instants (time, start) are written
   * in the language; a code the kiosk's catalogue lacks gets Go's French text in French, and the
   * general « ask at the reception » in the other languages.
   */
  const codeText = (code: string | undefined, params: Record<string, string> = {}, french = '') => {
    const id = 'error.' + code
    if (!code || !(id in intl.messages)) return lang === FRENCH && french ? french : t('error.generic')
    const values: Record<string, string> = {...params}
    if (params.time) values.time = time(params.time)
    if (params.start) values.when = t('book.time.at', {day: day(params.start), time: time(params.start)})
    values.initials = params.initials || 'none'
    values.where = params.where || 'none'
    return t(id, values)
  }
  /** Whether the catalogue writes this code. */
  const knows = (code: string) => ('error.' + code) in intl.messages
  return {t, lang, info: langInfo(lang), day, time, codeText, knows}
}
