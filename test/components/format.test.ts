import { expect } from '@open-wc/testing'
import { formatFullTime, formatTime } from '../../components/shared/format.ts'

describe('formatTime and formatFullTime', () => {
  const now = new Date(2026, 11, 7, 15, 30)
  const iso = (year: number, month: number, day: number, hour = 9, minute = 5) =>
    new Date(year, month, day, hour, minute).toISOString()

  it('says only the time today, the date too on other days, and the year in other years', () => {
    expect(formatTime(iso(2026, 11, 7), 'en-GB', now)).to.equal('9:05')
    expect(formatTime(iso(2026, 2, 3), 'en-GB', now)).to.equal('3 Mar, 9:05')
    expect(formatTime(iso(2025, 2, 3), 'en-GB', now)).to.equal('3 Mar 2025, 9:05')
  })

  it('follows the day even for a time it has formatted before', () => {
    const time = iso(2026, 11, 7)
    expect(formatTime(time, 'en-GB', now)).to.equal('9:05')
    const tomorrow = new Date(2026, 11, 8, 8, 0)
    expect(formatTime(time, 'en-GB', tomorrow)).to.equal('7 Dec, 9:05')
    expect(formatTime(time, 'en-GB', now)).to.equal('9:05')
  })

  it('formats each locale in its own way, and an unreadable time as nothing', () => {
    const time = iso(2026, 11, 7, 14, 5)
    expect(formatTime(time, 'en-US', now)).to.equal('2:05 PM')
    expect(formatTime(time, 'de', now)).to.equal('14:05')
    expect(formatFullTime(time, 'en-US')).to.equal('Monday, December 7, 2026 at 2:05 PM')
    expect(formatFullTime(time, 'de')).to.contain('Montag, 7. Dezember 2026')
    expect(formatTime('not a time', 'en', now)).to.equal('')
    expect(formatFullTime('not a time', 'en')).to.equal('')
  })
})
