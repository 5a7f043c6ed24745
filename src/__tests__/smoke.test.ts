import { reportWebEventCalls } from '../reportWebEvent/calls'
test('smoke', () => {
  expect(reportWebEventCalls({ event: 'X', value: '3' } as never)).toEqual([['track', 'X', { value: 3 }]])
})
